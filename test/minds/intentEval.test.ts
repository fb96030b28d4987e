import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_SEED, INTENT_DEV_TSV, INTENT_LABELS, evaluateIntents, formatConfusion, intentCorpus, readIntentTsv, scoreIntents } from '../../minds/index.ts';
import { quietService } from './helpers.ts';

// Lines the template-only model got wrong with full confidence.
const HARD = [
  { intent: 'greet', text: 'Good morrow to thee' },
  { intent: 'farewell', text: 'thanks for your help, I will be off now' },
  { intent: 'askDirections', text: 'Is there an inn around here?' },
  { intent: 'insult', text: 'you smell like wet dog' },
  { intent: 'askDirections', text: "hi, where's the smithy?" },
] as const;

// Lines that stress the tokenizer: unseen and long words, typos, accents, full-width and CJK characters,
// emoji, literal special tokens, a line past the token limit.
const ODD = [
  'where is the river '.repeat(40), 'Ｈｅｌｌｏ', 'héllo thére, café?', '你好 where is the inn', '😀 hi there 🐺', 'a', '!!!', '[UNK] hello', 'hi [PAD] where is [UNK]',
  'supercalifragilisticexpialidocious', 'x'.repeat(150), "don't won't can't", 'İstanbul ǅ ß ﬁ', '1234567890 42', 'wheres teh blaksmith', 'gimme ur gold or ur ded', 'a-b_c/d\\e',
];

describe('intent model on natural lines', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'lairmind-intent-eval-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('classifies the hand-written development lines with at least 90% accuracy, and the hard cases right', async () => {
    const { service } = await quietService();
    expect(service.status().intent).toBe('transformers.js');
    const dev = readIntentTsv(INTENT_DEV_TSV);
    expect(dev.length).toBeGreaterThanOrEqual(150);
    for (const intent of INTENT_LABELS) expect(dev.filter((e) => e.intent === intent).length, intent).toBeGreaterThanOrEqual(10);
    const ev = await evaluateIntents((texts) => service.chat.classify(texts), dev);
    expect(ev.accuracy, `dev errors:\n${ev.errors.map((e) => `${e.intent} -> ${e.predicted}: ${e.text}`).join('\n')}\n${formatConfusion(ev)}`).toBeGreaterThanOrEqual(0.9);
    const hard = await service.chat.classify(HARD.map((h) => h.text));
    expect(hard.map((r) => r.intent)).toEqual(HARD.map((h) => h.intent));
  });

  it('the development lines are not in the training corpus', () => {
    const key = (t: string): string => t.toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim();
    const { train } = intentCorpus(`${BUILD_SEED}/intent-corpus`);
    const seen = new Set(train.map((e) => key(e.text)));
    expect(readIntentTsv(INTENT_DEV_TSV).filter((e) => seen.has(key(e.text)))).toEqual([]);
  });

  it('the plain-JS pass gives the labels and confidences of the transformers.js pipeline', async () => {
    const { service: pipeline } = await quietService();
    const { service: js } = await quietService({ config: { runtime: 'js' } });
    expect(pipeline.status().intent).toBe('transformers.js');
    expect(js.status().intent).toBe('js');
    const lines = [...intentCorpus(`${BUILD_SEED}/intent-corpus`).test.slice(0, 3000).map((e) => e.text), ...readIntentTsv(INTENT_DEV_TSV).map((e) => e.text), ...HARD.map((h) => h.text), ...ODD];
    const a = await pipeline.chat.classify(lines);
    const b = await js.chat.classify(lines);
    expect(b.map((r) => r.intent)).toEqual(a.map((r) => r.intent));
    for (let i = 0; i < lines.length; i++) expect(Math.abs((a[i]?.confidence ?? 0) - (b[i]?.confidence ?? 1)), lines[i]).toBeLessThan(1e-4);
  });

  it('evaluation: reads a TSV, counts a confusion matrix and recall, names a bad line', async () => {
    const path = join(tmp, 'lines.tsv');
    writeFileSync(path, 'intent\ttext\ngreet\thello there\n\n# a comment\ninsult\tyou fool\nunknown\tpurple teapot\n');
    const lines = readIntentTsv(path);
    expect(lines).toEqual([{ intent: 'greet', text: 'hello there' }, { intent: 'insult', text: 'you fool' }, { intent: 'unknown', text: 'purple teapot' }]);
    const ev = await evaluateIntents(async () => [{ intent: 'greet' }, { intent: 'threaten' }, { intent: 'unknown' }], lines);
    expect(ev.accuracy).toBeCloseTo(2 / 3);
    expect(ev.confusion.insult.threaten).toBe(1);
    expect(ev.confusion.greet.greet).toBe(1);
    expect(ev.recall).toEqual({ greet: 1, insult: 0, unknown: 1 });
    expect(ev.errors).toEqual([{ text: 'you fool', intent: 'insult', predicted: 'threaten' }]);
    expect(formatConfusion(ev).split('\n')).toHaveLength(INTENT_LABELS.length + 1);
    expect(() => scoreIntents(lines, [])).toThrow(/0 results for 3 lines/);
    writeFileSync(path, 'intent\ttext\ngreet\thi\ngreeting\thello\n');
    expect(() => readIntentTsv(path)).toThrow(/lines\.tsv:3: unknown intent 'greeting'/);
    writeFileSync(path, 'intent\ttext\ngreet\n');
    expect(() => readIntentTsv(path)).toThrow(/lines\.tsv:2: no text/);
  });
});
