import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS, INTENTS, TRAIT_NAMES } from '../../actors/index.ts';
import { ACTION_LABELS, BUILD_SEED, BUILTIN_MODELS_DIR, INTENT_LABELS, TRAIT_KEYS, buildModels, intentCorpus } from '../../minds/index.ts';
import { quietService } from './helpers.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('built-in models', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'lairmind-models-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a fresh build reproduces the committed models byte for byte', () => {
    const report = buildModels(tmp);
    // policy-learned/ is written by `npm run models:train` (test/tools/train), not by the build.
    const committed = files(BUILTIN_MODELS_DIR).map((f) => relative(BUILTIN_MODELS_DIR, f)).filter((f) => !f.startsWith('policy-learned')).sort();
    const fresh = files(tmp).map((f) => relative(tmp, f)).sort();
    expect(fresh).toEqual(committed);
    expect(committed).toEqual(expect.arrayContaining(['intent/config.json', 'intent/tokenizer.json', 'intent/onnx/model.onnx', 'policy/onnx/model.onnx', 'personality/onnx/model.onnx',
      'reply-tiny/config.json', 'reply-tiny/generation_config.json', 'reply-tiny/tokenizer.json', 'reply-tiny/tokenizer_config.json', 'reply-tiny/onnx/model.onnx']));
    for (const f of committed) expect(readFileSync(join(tmp, f)).equals(readFileSync(join(BUILTIN_MODELS_DIR, f))), f).toBe(true);
    expect(report.intentHeldOutAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.intentDev.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.intentModelBytes).toBeLessThan(3e6);
    expect(report.policyTeacherAgreement).toBeGreaterThan(0.9);
    expect(report.replyRecited).toBeGreaterThanOrEqual(0.9);
  }, 300_000);

  it('label lists match the ports', () => {
    expect([...ACTION_LABELS]).toEqual([...ACTIONS]);
    expect([...INTENT_LABELS]).toEqual([...INTENTS]);
    expect([...TRAIT_KEYS]).toEqual([...TRAIT_NAMES]);
  });

  it('the intent corpus has hundreds of paraphrases per intent and a held-out part training never saw', () => {
    const { train, test } = intentCorpus(`${BUILD_SEED}/intent-corpus`);
    for (const intent of INTENT_LABELS) expect(train.filter((e) => e.intent === intent).length).toBeGreaterThan(400);
    const key = (t: string): string => t.toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim() || t.trim(); // lines of symbols only count as themselves
    const seen = new Set(train.map((e) => key(e.text)));
    expect(test.filter((e) => seen.has(key(e.text)))).toEqual([]);
  });

  it('held-out intent accuracy through the transformers.js pipeline is at least 90%', async () => {
    const { test } = intentCorpus(`${BUILD_SEED}/intent-corpus`);
    const { service } = await quietService();
    expect(service.status().intent).toBe('transformers.js');
    const res = await service.chat.classify(test.map((e) => e.text));
    const acc = res.filter((r, i) => r.intent === test[i]?.intent).length / test.length;
    expect(acc).toBeGreaterThanOrEqual(0.9);
    for (const r of res) expect(r.confidence).toBeGreaterThan(0);
  });
});
