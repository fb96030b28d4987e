import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Intent, Persona, PlayerMemory } from '../../actors/index.ts';
import { BUILTIN_MODELS_DIR, ModelFolderError, mindsConfigFromEnv } from '../../minds/index.ts';
import { REPLY_LINES } from '../../minds/build/replyModel.ts';
import { stanceOf, summarizeMemory } from '../../minds/replyGrammar.ts';
import type { ReplyContext } from '../../minds/replyGrammar.ts';
import { ReplyWriter, replyPrompt, transformersGeneratorFactory } from '../../minds/replyWriter.ts';
import { bertPieces } from '../../minds/text.ts';
import { FENRIK, quietService } from './helpers.ts';

const TINY = join(BUILTIN_MODELS_DIR, 'reply-tiny');
const SSILA: Persona = { name: 'Ssila', role: 'a marsh trader', species: 'lizardfolk', mood: 'calm', knows: ['my hut stands on stilts in the reeds'] };

const ctx = (text: string, intent: Intent, disposition: number, persona: Persona = FENRIK, memory: PlayerMemory | null = null): ReplyContext => ({
  persona, playerName: 'Ada', text, intent, confidence: 0.9, disposition, memory,
});

/** A memory of two kind exchanges with Ada. */
const FOND: PlayerMemory = {
  name: 'Ada', disposition: 0.2, exchanges: 2, intents: { greet: 1, flatter: 1 }, topics: [], summary: '', changes: [], at: 20,
  lines: [{ who: 'player', text: 'hello', intent: 'greet', at: 10 }, { who: 'player', text: 'fine fur', intent: 'flatter', at: 20 }],
};

const CONTEXTS: ReplyContext[] = [
  ctx('where is the ford?', 'askDirections', 0.1),
  ctx('hello there', 'greet', 0.8, FENRIK, FOND),
  ctx('you smelly rat', 'insult', -0.5),
  ctx('got anything to sell?', 'trade', 0.5, SSILA),
];

const vocab = new Set(Object.keys((JSON.parse(readFileSync(join(TINY, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab));

/** A copy of the tiny model folder to break. */
function copyOfTiny(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lairmind-reply-'));
  cpSync(TINY, dir, { recursive: true });
  return dir;
}

describe('tiny reply model through transformers.js', () => {
  const made: string[] = [];
  afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

  it('loads, tokenises the prompt and writes a line in character for the intent and stance, the same every time', async () => {
    const logs: string[] = [];
    const writer = new ReplyWriter(await transformersGeneratorFactory(TINY), 48, (l) => logs.push(l));
    expect(writer.path).toBe('generator');
    const first = await writer.write(CONTEXTS);
    const again = await writer.write(CONTEXTS);
    expect(again).toEqual(first);
    first.forEach((w, i) => {
      const c = CONTEXTS[i] as ReplyContext;
      expect(w.source).toBe('model');
      expect(w.reply.length).toBeGreaterThan(0);
      for (const piece of bertPieces(w.reply)) expect(vocab.has(piece), piece).toBe(true);
      // Greedy decoding recites a training line of this intent and stance: the prompt's tag and stance reached the
      // model, and every step after the first read the word before it from the KV cache.
      expect(REPLY_LINES[c.intent][stanceOf(c, summarizeMemory(c.memory, c.intent))]).toContain(w.reply);
    });
    expect(new Set(first.map((w) => w.reply)).size).toBe(CONTEXTS.length);
    expect(logs).toEqual([]);
  });

  it('a line comes out the same alone as in a left-padded batch', async () => {
    const gen = await transformersGeneratorFactory(TINY);
    const prompts = CONTEXTS.map(replyPrompt);
    const batch = await gen(prompts, 48);
    for (let i = 0; i < prompts.length; i++) expect(await gen([prompts[i] as string], 48)).toEqual([batch[i]]);
  });

  it('is selected by LAIRMIND_REPLY_MODEL; without it the service keeps the grammar', async () => {
    const chosen = await quietService({ config: mindsConfigFromEnv({ LAIRMIND_REPLY_MODEL: 'models/reply-tiny' }), baseDir: dirname(BUILTIN_MODELS_DIR) });
    expect(chosen.service.status().reply).toBe('generator');
    expect(chosen.service.status().folders.reply).toBe(TINY);
    const [r] = await chosen.service.chat.answer([{ player: 7, playerName: 'Ada', text: 'where is the ford?', persona: FENRIK, disposition: 0.1, memory: null }]);
    expect(r?.intent).toBe('askDirections');
    expect(REPLY_LINES.askDirections.wary).toContain(r?.reply);
    expect(chosen.logs).toEqual([]);
    const plain = await quietService({ config: mindsConfigFromEnv({}) });
    expect(plain.service.status().reply).toBe('grammar');
    await Promise.all([chosen.service.close(), plain.service.close()]);
  });

  it('a corrupt ONNX file or tokenizer falls back to the grammar with one log line', async () => {
    for (const [file, body] of [['onnx/model.onnx', 'not a model'], ['tokenizer.json', '{"model": ']] as const) {
      const dir = copyOfTiny();
      made.push(dir);
      writeFileSync(join(dir, file), body);
      const { service, logs } = await quietService({ config: { models: { reply: dir } } });
      expect(service.status().reply).toBe('grammar');
      const [r] = await service.chat.answer([{ player: 7, playerName: 'Ada', text: 'who are you?', persona: FENRIK, disposition: 0.1, memory: null }]);
      expect(r?.reply).toContain('Fenrik'); // the grammar names the NPC; the tiny model knows no names
      expect(logs, file).toHaveLength(1);
      expect(logs[0]).toMatch(/minds: model 'reply' failed to load .*; using the reply grammar/);
      await service.close();
    }
  });

  it('a folder without tokenizer.json stops start-up naming the file; the factory alone rejects it', async () => {
    const dir = copyOfTiny();
    made.push(dir);
    unlinkSync(join(dir, 'tokenizer.json'));
    const err = await quietService({ config: { models: { reply: dir } } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFolderError);
    expect((err as ModelFolderError).file).toBe(join(dir, 'tokenizer.json'));
    await expect(transformersGeneratorFactory(dir)).rejects.toThrow();
  });
});
