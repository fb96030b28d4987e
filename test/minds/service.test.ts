import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatReply, Decision, Personality } from '../../actors/index.ts';
import { BUILTIN_MODELS_DIR, MindService, ModelFolderError, mindsConfigFromEnv, parseMindsConfig } from '../../minds/index.ts';
import { denseMlpOnnx } from '../../minds/nn/mlpGraph.ts';
import { ValidationError } from '../../shared/index.ts';
import { FENRIK, PERCEPTION, TRAITS, quietService, req } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'lairmind-folders-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the built-in models to break. */
function copyModels(name: string): string {
  const dir = join(tmp, name);
  cpSync(BUILTIN_MODELS_DIR, dir, { recursive: true });
  return dir;
}

const tinyMlp = (inputs: number, out: number): Parameters<typeof denseMlpOnnx>[0] => ({
  inputs, hidden: 2, w1: new Float32Array(inputs * 2), b1: new Float32Array(2), heads: [{ name: 'logits', size: out, kind: 'softmax', w: new Float32Array(2 * out), b: new Float32Array(out) }],
});

describe('MindService', () => {
  it('serves a mixed batch by port, in request order; ports it does not serve get an error', async () => {
    const { service } = await quietService();
    const replies = await service.serve([
      req(1, 'think', { perception: PERCEPTION, traits: TRAITS }),
      req(2, 'chat', { player: 3, playerName: 'Ada', text: 'hello', persona: FENRIK, disposition: 0, memory: null }),
      req(3, 'personality', { species: 'wolf', biome: 'forest', latent: [0.2, 0.4] }),
      req(4, 'plan', {}),
      req(5, 'think', { perception: PERCEPTION, traits: { ...TRAITS, courage: 0 } }),
    ]);
    expect(replies.map((r) => r.requestId)).toEqual([1, 2, 3, 4, 5]);
    expect((replies[0] as { value: Decision }).value.action).toBeTypeOf('string');
    expect((replies[1] as { value: ChatReply }).value.intent).toBe('greet');
    expect((replies[2] as { value: Personality }).value.traits.aggression).toBeTypeOf('number');
    expect(replies[3]).toMatchObject({ ok: false, error: expect.stringContaining("'plan'") });
    expect(service.mindFor('think')).toBe(service.think);
    expect(service.mindFor('plan')).toBeUndefined();
    expect(service.stats().think).toMatchObject({ requests: 2, batches: 1 });
  });

  it('answers every request with an error when the signal is already aborted', async () => {
    const { service } = await quietService();
    const ac = new AbortController();
    ac.abort();
    const replies = await service.serve([req(1, 'think', { perception: PERCEPTION, traits: TRAITS }), req(2, 'personality', { species: 'wolf', biome: 'forest', latent: [] })], ac.signal);
    expect(replies).toEqual([{ requestId: 1, ok: false, error: 'aborted' }, { requestId: 2, ok: false, error: 'aborted' }]);
  });

  it('a folder with a missing file fails at start-up naming the file', async () => {
    const dir = copyModels('missing');
    unlinkSync(join(dir, 'intent', 'tokenizer.json'));
    await expect(MindService.create({ config: { modelsDir: dir }, logger: () => {} })).rejects.toThrow(new RegExp(`${join(dir, 'intent', 'tokenizer.json')}: missing`));
    unlinkSync(join(dir, 'policy-learned', 'onnx', 'model.onnx'));
    const err = await MindService.create({ config: { modelsDir: dir }, logger: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFolderError);
    expect((err as ModelFolderError).file).toBe(join(dir, 'policy-learned', 'onnx', 'model.onnx'));
  });

  it('a replacement model with wrong tensor shapes fails at start-up naming the file and the shape', async () => {
    const dir = join(tmp, 'wrong-shape');
    cpSync(join(BUILTIN_MODELS_DIR, 'policy'), dir, { recursive: true });
    writeFileSync(join(dir, 'onnx', 'model.onnx'), denseMlpOnnx(tinyMlp(12, 9), 'bad', ''));
    await expect(MindService.create({ config: { models: { policy: dir } }, logger: () => {} }))
      .rejects.toThrow(`${join(dir, 'onnx', 'model.onnx')}: input 'features' has shape [batch, 12], expected [batch, 30]`);
    writeFileSync(join(dir, 'onnx', 'model.onnx'), denseMlpOnnx(tinyMlp(30, 4), 'bad', ''));
    await expect(MindService.create({ config: { models: { policy: dir } }, logger: () => {} })).rejects.toThrow(/output 'logits' has shape \[batch, 4\], expected \[batch, 9\]/);
    writeFileSync(join(dir, 'onnx', 'model.onnx'), 'not a model at all');
    await expect(MindService.create({ config: { models: { policy: dir } }, logger: () => {} })).rejects.toThrow(/model\.onnx: is not a readable ONNX model/);
  });

  it('any Hugging Face-layout folder with the right tensors replaces a built-in model', async () => {
    const dir = join(tmp, 'replacement');
    cpSync(join(BUILTIN_MODELS_DIR, 'policy'), dir, { recursive: true });
    const always = tinyMlp(30, 9);
    always.heads[0]?.b.set([0, 0, 0, 0, 5, 0, 0, 0, 0]); // always "hold"
    writeFileSync(join(dir, 'onnx', 'model.onnx'), denseMlpOnnx(always, 'hold', ''));
    const { service } = await quietService({ config: { models: { policy: dir } } });
    const [d] = await service.think.decide([{ perception: PERCEPTION, traits: TRAITS }]);
    expect(d).toMatchObject({ action: 'hold', source: 'model' });
  });

  it('config is validated with the path of the bad field; the environment maps to config', () => {
    expect(() => parseMindsConfig({ models: { polcy: 'x' } })).toThrow(ValidationError);
    expect(() => parseMindsConfig({ models: { polcy: 'x' } })).toThrow(/models/);
    expect(() => parseMindsConfig({ runtime: 'gpu' })).toThrow(/runtime/);
    const c = parseMindsConfig(mindsConfigFromEnv({ LAIRMIND_REPLY_MODEL: 'chat-model', LAIRMIND_MINDS_RUNTIME: 'js' }), '/srv');
    expect(c.folders.reply).toBe('/srv/chat-model');
    expect(c.runtime).toBe('js');
    expect(c.folders.policy).toBe(join(BUILTIN_MODELS_DIR, 'policy-learned'));
  });
});
