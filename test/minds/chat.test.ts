import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ChatReply, Intent, PlayerMemory } from '../../actors/index.ts';
import { MAX_CHAT_CHARS, normalizeChat } from '../../minds/index.ts';
import { readPersonaFile, replyTo } from '../../tools/commands/reply.ts';
import { runClassify } from '../../tools/commands/classify.ts';
import { FENRIK, quietService, req } from './helpers.ts';

const ask = (text: string, extra: { disposition?: number; memory?: PlayerMemory | null; persona?: object } = {}): object => ({
  player: 7, playerName: 'Ada', text, persona: extra.persona ?? FENRIK, disposition: extra.disposition ?? 0.1, memory: extra.memory ?? null,
});

/** A memory of these player lines (each answered), as an actor keeps it. */
const memoryOf = (said: [Intent, string][], more: Partial<PlayerMemory> = {}): PlayerMemory => ({
  name: 'Ada', disposition: 0, exchanges: said.length, topics: [], summary: '', changes: [], at: said.length,
  intents: said.reduce<Partial<Record<Intent, number>>>((a, [i]) => ({ ...a, [i]: (a[i] ?? 0) + 1 }), {}),
  lines: said.flatMap(([intent, text], k) => [{ who: 'player' as const, text, intent, at: k }, { who: 'self' as const, text: '…', at: k }]),
  ...more,
});

describe('chat mind', () => {
  it('understands intents with a confidence', async () => {
    const { service } = await quietService();
    const res = await service.chat.classify(['Hello there!', 'which way to the old mill?', 'who are you?', 'i will gut you', 'got any pelts for sale', 'you are magnificent', 'you smelly rat', 'farewell', 'please help me, i am hurt', 'purple teapot tuesday']);
    expect(res.map((r) => r.intent)).toEqual(['greet', 'askDirections', 'askAboutSelf', 'threaten', 'trade', 'flatter', 'insult', 'farewell', 'askForHelp', 'unknown']);
  });

  it('normalises and length-limits the chat line', async () => {
    expect(normalizeChat('  HeLLo\u0000\u200b  there\n\n ')).toBe('HeLLo there');
    expect(normalizeChat('ｈｅｌｌｏ')).toBe('hello');
    expect(normalizeChat(42)).toBe('');
    const long = 'where is the river '.repeat(40);
    expect(normalizeChat(long).length).toBeLessThanOrEqual(MAX_CHAT_CHARS);
    const { service } = await quietService();
    const [r] = await service.chat.classify([long]);
    expect(r?.text.length).toBeLessThanOrEqual(MAX_CHAT_CHARS);
    expect(r?.intent).toBe('askDirections');
  });

  it('replies stay in character: name, voice, what it knows, and its stance', async () => {
    const { service } = await quietService();
    const [who, way, insult, threat] = await service.chat.answer([ask('who are you?'), ask('where is the ford?'), ask('you mangy mutt, you stink'), ask('i will skin you')]);
    expect(who?.reply).toContain('Fenrik');
    expect(who?.reply).toMatch(/Grey Hollow/);
    expect(way?.reply).toMatch(/ford lies east/i);
    for (const r of [who, way, insult, threat] as ChatReply[]) {
      expect(r.reply).toMatch(/Grrr|growls/); // a wolf growls
      expect(r.reply.length).toBeLessThanOrEqual(MAX_CHAT_CHARS);
      expect(r.reply).not.toMatch(/\{|\}/);
    }
    expect(insult?.intent).toBe('insult');
    expect(insult?.reply).not.toMatch(/friend|kind|welcome/i);

    const hissing = { ...FENRIK, name: 'Sskara', species: 'lizardfolk', role: 'a swamp hunter', knows: [] };
    const [h] = await service.chat.answer([ask('where is the village?', { persona: hissing, disposition: 0.8 })]);
    expect(h?.reply).toMatch(/^Sss/);
    expect(h?.reply).not.toMatch(/\{fact\}/);
  });

  it('remembers the player: grudges sour the greeting, kindness warms it, repeated questions are noticed', async () => {
    const { service } = await quietService();
    const rude = memoryOf([['insult', 'you rat'], ['threaten', 'i will gut you']]);
    const kind = memoryOf([['greet', 'hello'], ['flatter', 'fine fur'], ['farewell', 'bye']]);
    const [sour, warm, again] = await service.chat.answer([
      ask('hello', { memory: rude, disposition: -0.2 }),
      ask('hello', { memory: kind, disposition: 0.6 }),
      ask('where is the ford?', { memory: memoryOf([['askDirections', 'which way to the ford']]), disposition: 0.6 }),
    ]);
    expect(sour?.reply).toMatch(/wronged|remember|Not you again/);
    expect(warm?.reply).toMatch(/again|old friend/i);
    expect(warm?.reply).toMatch(/Ada/);
    expect(again?.reply).toMatch(/already|Again|Same question/);
    const [hostile] = await service.chat.answer([ask('hello', { disposition: -0.9 })]);
    const [friendly] = await service.chat.answer([ask('hello', { disposition: 0.9 })]);
    expect(hostile?.reply).not.toEqual(friendly?.reply);
  });

  it('keeps the name a player gives, calls them by it, and never speaks raw numbers', async () => {
    const { service } = await quietService();
    const [named, later, den] = await service.chat.answer([
      ask('Good morrow! My name is Kestrel.'),
      ask('where is the mill?', { memory: memoryOf([['greet', 'hi, I am Kestrel']], { givenName: 'Kestrel', topics: ['mill'] }), disposition: 0.6 }),
      ask('where is your den?', { persona: { ...FENRIK, knows: ['my den lies near -2, 3', 'I saw 3 wolves by the 12 oaks'] }, disposition: 0.6 }),
    ]);
    expect(named).toMatchObject({ givenName: 'Kestrel', heard: 'Good morrow! My name is Kestrel.' });
    expect(named?.reply).toMatch(/Kestrel/);
    expect(later?.reply).toMatch(/Kestrel/);
    expect(later?.reply).toMatch(/mill/); // it remembers being asked about the mill before
    expect(later?.topics).toEqual(['mill']);
    expect(den?.reply).not.toMatch(/\d/);
  });

  it('refuses bad payloads with the path of the bad field', async () => {
    const { service } = await quietService();
    const replies = await service.chat.serve([req(1, 'chat', { ...ask('hi'), persona: { ...FENRIK, name: 5 } }), req(2, 'chat', ask('hi'))]);
    expect(replies[0]).toMatchObject({ ok: false, error: expect.stringContaining('persona.name') });
    expect(replies[1]).toMatchObject({ ok: true, value: { intent: 'greet' } });
  });

  it('when the intent pipeline throws, the plain-JS pass of the built-in weights takes over, logged once', async () => {
    const { service: real } = await quietService();
    const lines = ['hello', 'where is the river', 'you fool', 'want to trade?'];
    const expected = await real.chat.classify(lines);
    const { service, logs } = await quietService({ createClassifier: async () => async () => { throw new Error('pipeline broke'); } });
    for (let i = 0; i < 3; i++) expect((await service.chat.classify(lines)).map((r) => r.intent)).toEqual(expected.map((r) => r.intent));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/'intent' failed to run \(pipeline broke\)/);
    expect(service.status().intent).toBe('js');
  });

  it('a generative reply model is used when configured, with the grammar for empty lines and after a failure', async () => {
    const prompts: string[][] = [];
    let fail = false;
    const { service, logs } = await quietService({
      config: { models: { reply: 'models/intent' } }, // any folder with config.json, tokenizer.json and onnx/*.onnx passes the check
      createGenerator: async () => async (ps) => {
        prompts.push(ps);
        if (fail) throw new Error('generator down');
        return ps.map((_, i) => (i === 0 ? 'Fenrik: "The ford? East, past the mill."\nAda: thanks' : '   '));
      },
    });
    const [gen, empty] = await service.chat.answer([ask('where is the ford?'), ask('who are you?')]);
    expect(gen?.reply).toBe('The ford? East, past the mill.');
    expect(empty?.reply).toContain('Fenrik'); // grammar
    expect(prompts[0]?.[0]).toMatch(/You are Fenrik[\s\S]*ford lies east[\s\S]*Ada \(askDirections\): where is the ford\?\nFenrik:$/);
    fail = true;
    const [after] = await service.chat.answer([ask('who are you?')]);
    expect(after?.reply).toContain('Fenrik');
    expect(logs).toHaveLength(1);
    expect(service.status().reply).toBe('grammar');
  });
});

describe('CLI: classify and reply', () => {
  it('classify prints one JSON object per input line, in order', async () => {
    const { service } = await quietService();
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString()));
    const done = runClassify(service, input, output);
    input.write('Hello there\nwhere is the ford?\n');
    input.end('you are an idiot\n');
    expect(await done).toBe(3);
    const rows = chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as { text: string; intent: string; confidence: number });
    expect(rows.map((r) => [r.text, r.intent])).toEqual([['Hello there', 'greet'], ['where is the ford?', 'askDirections'], ['you are an idiot', 'insult']]);
    for (const r of rows) expect(r.confidence).toBeGreaterThan(0.5);
  });

  it('reply reads a persona file and answers in character; a bad file names the field', async () => {
    const { service } = await quietService();
    const r = await replyTo(service, 'test/minds/fixtures/fenrik.yaml', 'where is the ford?');
    expect(r.intent).toBe('askDirections');
    expect(r.reply).toMatch(/ford lies east/i);
    expect(readPersonaFile('test/minds/fixtures/fenrik.yaml').playerName).toBe('Ada');
    expect(() => readPersonaFile('test/minds/fixtures/bad-persona.yaml')).toThrow(/persona\.knows/);
    expect(() => readPersonaFile('test/minds/fixtures/missing.yaml')).toThrow(/missing\.yaml/);
  });
});
