import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatReply, ChatRequest, MindRequest, ReplyInput, SpeechChunk } from '../../actors/index.ts';
import { CloudDialogue, MindService } from '../../minds/index.ts';
import { promptText, startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider, FakeReply } from '../llm/fakeProvider.ts';
import { gatewayFor } from '../llm/helpers.ts';

/**
 * Layer-3 dialogue through the gateway's streaming path, against a fake OpenAI speaking its real SSE format: the
 * reply streams as speech chunks, is checked, and falls back to the local reply on every failure.
 */

let fake: FakeProvider;
let service: MindService;

beforeAll(async () => {
  fake = await startFake('openai');
  service = await MindService.create({ logger: () => {} });
}, 60_000);
afterAll(async () => {
  await fake.close();
});

const request = (over: Partial<ChatRequest> = {}, requestId = 1): MindRequest => ({
  requestId, actor: 42, port: 'chat', deadline: Infinity,
  payload: {
    player: 7, playerName: 'Ada', text: 'where is the old mine?', disposition: 0, memory: null,
    persona: { name: 'Hilda', role: 'blacksmith', knows: ['the old mine east of the village is full of spiders'], mood: 'gruff' },
    sees: ['Ada (talking to me), right here'], payer: { account: 'acct-ada', tier: 'premium' }, deadlineMs: 2_000, ...over,
  } satisfies ChatRequest,
});

interface Run { replies: ReplyInput[]; early: ReplyInput[]; speech: SpeechChunk[]; dialogue: CloudDialogue }

async function run(requests: MindRequest[], opts: { budgetUsd?: number } = {}): Promise<Run> {
  const { gw } = gatewayFor([fake]);
  const dialogue = new CloudDialogue({ gateway: gw, local: service.chat });
  const early: ReplyInput[] = [];
  const speech: SpeechChunk[] = [];
  const replies = await dialogue.serve(requests, undefined, undefined, {
    early: (r) => early.push(...r), speech: (c) => speech.push(c), room: { id: 'room-1', tier: 'free', ...(opts.budgetUsd !== undefined && { budgetUsd: opts.budgetUsd }) },
  });
  return { replies, early, speech, dialogue };
}

const value = (r: ReplyInput | undefined): ChatReply => {
  if (!r?.ok) throw new Error(`not a reply: ${JSON.stringify(r)}`);
  return r.value as ChatReply;
};

describe('cloud dialogue', () => {
  it('streams the reply as speech chunks, then answers with the whole line; the prompt carries persona, memory and sight, the player line as untrusted', async () => {
    fake.queue({ type: 'stream', chunks: ['Aye, ', 'Ada. The old mine ', 'lies east of the village.', ' Mind the spiders.'] });
    const { replies, speech, dialogue } = await run([request()]);
    const v = value(replies[0]);
    expect(v).toMatchObject({ source: 'cloud', intent: 'askDirections', reply: 'Aye, Ada. The old mine lies east of the village. Mind the spiders.' });
    expect(speech.map((c) => c.text)).toEqual(['Aye,', 'Aye, Ada. The old mine', 'Aye, Ada. The old mine lies east of the village.', 'Aye, Ada. The old mine lies east of the village. Mind the spiders.', v.reply]);
    expect(speech.map((c) => c.done)).toEqual([false, false, false, false, true]);
    expect(speech.every((c) => c.actor === 42 && c.requestId === 1 && !c.replaced)).toBe(true);
    expect(dialogue.stats).toMatchObject({ streamed: 1, cloud: 1, firstChunks: 1 });
    const sent = fake.requests.at(-1)!;
    expect(sent.body.stream).toBe(true);
    const { system, user } = promptText('openai', sent.body);
    expect(system).toMatch(/Speak as Hilda, blacksmith/);
    expect(system).toMatch(/old mine east of the village/);
    expect(system).toMatch(/What you see: Ada \(talking to me\), right here/);
    expect(user).toMatch(/<untrusted-[0-9a-z]+ label="player line">/);
    expect(user).toMatch(/where is the old mine\?/);
  });

  it('answers at once from the local mind when the player may not pay for cloud dialogue (guest, free tier)', async () => {
    const before = fake.requests.length;
    const { replies, early, speech } = await run([request({ payer: { account: 'g', tier: 'free' } }, 1), request({ payer: undefined } as never, 2)]);
    expect(fake.requests.length).toBe(before);
    expect(speech).toEqual([]);
    expect(early).toEqual([]);
    expect(replies.map((r) => value(r).source)).toEqual(['local', 'local']);
  });

  it('hands local replies back early while another line streams', async () => {
    fake.queue({ type: 'stream', chunks: ['Well met, Ada.'] });
    const { replies, early } = await run([request({}, 1), request({ payer: { account: 'g', tier: 'free' } }, 2)]);
    expect(early.map((r) => r.requestId)).toEqual([2]);
    expect(replies.map((r) => r.requestId)).toEqual([1]);
    expect(value(replies[0]).source).toBe('cloud');
  });

  const failures: [string, FakeReply | FakeReply[], string][] = [
    ['a provider error', [{ type: 'error', status: 500 }, { type: 'error', status: 500 }, { type: 'error', status: 500 }], 'provider'],
    ['a provider that never answers', { type: 'hang' }, 'provider'],
    ['a reply with coordinates', { type: 'stream', chunks: ['The mine ', 'is at 12, ', '-4.'] }, 'numbers'],
    ['a reply echoing its instructions', { type: 'stream', chunks: ['Use only what is written here: never invent names or places, friend.'] }, 'echo'],
    ['a reply from outside the world', { type: 'stream', chunks: ['As an AI ', 'language model I cannot.'] }, 'meta'],
    ['a reply naming what it cannot know', { type: 'stream', chunks: ['Ask King Aldric ', 'about it.'] }, 'unknown-name'],
  ];
  for (const [what, reply, why] of failures) {
    it(`replaces ${what} with the local reply`, async () => {
      for (const r of Array.isArray(reply) ? reply : [reply]) fake.queue(r);
      const { replies, speech, dialogue } = await run([request({ deadlineMs: 800 })]);
      const v = value(replies[0]);
      expect(v.source).toBe('local');
      expect(v.reply.length).toBeGreaterThan(0);
      expect(v.reply).not.toMatch(/\d/);
      expect(dialogue.stats.replaced).toEqual({ [why]: 1 });
      // What was shown is withdrawn for the local line; nothing was shown when nothing came.
      if (speech.length) expect(speech.at(-1)).toMatchObject({ done: true, replaced: true, text: v.reply });
      expect(speech.some((c) => /12|Aldric|AI|invent/.test(c.text) && !c.replaced && c.done)).toBe(false);
    }, 15_000);
  }

  it('replaces the reply when the room budget is spent', async () => {
    const { replies, dialogue } = await run([request()], { budgetUsd: 0 });
    expect(value(replies[0]).source).toBe('local');
    expect(dialogue.stats.replaced).toEqual({ budget: 1 });
  });
});
