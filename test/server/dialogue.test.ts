import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { promptText, startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { waitFor } from '../rooms/serverHarness.ts';
import type { Joined } from '../rooms/serverHarness.ts';
import { configFile, dir, http, joinAlone, poll, premiumToken, series, startServer } from './cloudServer.ts';

/**
 * NPC replies from an LLM, streamed into a live room and to a real client: the server in its own process, a fake
 * OpenAI in this one streaming SSE with a first-token latency. A premium player's line is answered in chunks
 * (`speech` messages filling the bubble) and then said in the state; a failing provider and a guest get the local
 * reply at once.
 */

interface Chunk { actor: number; id: number; text: string; done: boolean; replaced?: boolean }

/** Spawn Hilda the smith two tiles from `at`; resolves with her actor id as the client sees it. */
async function spawnSmith(server: ServerProcess, joined: Joined, at: { x: number; y: number }): Promise<number> {
  const res = await http(server, 'POST', `/admin/rooms/${joined.room.roomId}/spawn?x=${at.x}&y=${at.y}`, {
    name: 'smithy', spawns: [{ npc: { name: 'Hilda', role: 'blacksmith', knows: ['the old mine east of the village is full of spiders'], mood: 'gruff', at: { x: 2, y: 0 }, wander: 0 } }],
  });
  expect(res.status).toBe(200);
  return waitFor('Hilda in the client\'s state', () => { const k = [...joined.mirror.entities].find(([, e]) => e.name === 'Hilda')?.[0]; return k === undefined ? undefined : Number(k); }, 10_000);
}

/** Hilda's lines in the client's state, oldest first. */
function linesOf(joined: Joined, actor: number): string[] {
  const out: { seq: number; text: string }[] = [];
  (joined.room.state as { speech?: Map<string, { seq: number; actor: number; text: string }> }).speech?.forEach((l) => {
    if (l.actor === actor) out.push({ seq: l.seq, text: l.text });
  });
  return out.sort((a, b) => a.seq - b.seq).map((l) => l.text);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NPC dialogue streamed from a cloud model into a live room', () => {
  let fake: FakeProvider;
  let server: ServerProcess;
  beforeAll(async () => {
    fake = await startFake('openai', () => ({ type: 'error', status: 500 }));
    server = await startServer(fake, configFile('dialogue.yaml'), { MONSTER_DENSITY: '0' });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  it('a premium player: the reply arrives in chunks as the provider writes them, then is said in the state', async () => {
    const { joined, at } = await joinAlone(server, await premiumToken(server, 'ada'));
    const hilda = await spawnSmith(server, joined, at);
    const chunks: Chunk[] = [];
    const arrived: number[] = [];
    joined.room.onMessage('speech', (c: Chunk) => {
      chunks.push(c);
      arrived.push(performance.now());
    });
    const sent: number[] = [];
    fake.queue({ type: 'stream', chunks: ['Aye, ', 'traveller. ', 'The old mine lies east of the village.'], firstMs: 200, gapMs: 150, sent: (i, t) => void (sent[i] = t) });
    joined.room.send('talk', { to: hilda, text: 'Where is the old mine?' });
    await waitFor('the last chunk', () => chunks.find((c) => c.done), 10_000);
    expect(chunks.map((c) => c.text)).toEqual(['Aye,', 'Aye, traveller.', 'Aye, traveller. The old mine lies east of the village.', 'Aye, traveller. The old mine lies east of the village.']);
    expect(chunks.every((c) => c.actor === hilda && !c.replaced)).toBe(true);
    // Chunks reach the client as the provider writes them, not all at the end.
    expect(arrived[1]! - arrived[0]!).toBeGreaterThan(100);
    expect(arrived[0]!).toBeGreaterThanOrEqual(sent[1]!);
    const said = await waitFor('the finished line in the state', () => linesOf(joined, hilda).find((t) => t.includes('old mine lies east')), 5_000);
    expect(said).toBe('Aye, traveller. The old mine lies east of the village.');
    const { system, user } = promptText('openai', fake.requests.at(-1)!.body);
    expect(system).toMatch(/Speak as Hilda, blacksmith/);
    expect(system).toMatch(/What you see: hero \(talking to me\), (right here|close by)/);
    expect(user).toMatch(/label="player line">[^<]*Where is the old mine\?/);
    // Hilda remembers what was said, on both sides, in her state (the inspector shows it).
    const inspected = await poll('Hilda\'s memory in the inspector', async () => {
      const r = await http(server, 'GET', `/admin/rooms/${joined.room.roomId}/actors/${hilda}`);
      return r.status === 200 && Object.keys(r.body?.actor?.memory ?? {}).length > 0 && r;
    });
    const memory = Object.values(inspected.body.actor.memory as Record<string, { lines: { who: string; text: string }[] }>)[0]!;
    expect(memory.lines.map((l) => l.who)).toEqual(['player', 'self']);
    expect(memory.lines[1]!.text).toBe(said);
    await joined.room.leave();
  }, 60_000);

  it('a provider that fails answers with the local reply at once; a guest never reaches the provider', async () => {
    const { joined, at } = await joinAlone(server, await premiumToken(server, 'bram'));
    const hilda = await spawnSmith(server, joined, at);
    const chunks: Chunk[] = [];
    joined.room.onMessage('speech', (c: Chunk) => chunks.push(c));
    const before = fake.requests.length;
    joined.room.send('talk', { to: hilda, text: 'hello there' });
    const local = await waitFor('Hilda\'s local reply', () => linesOf(joined, hilda)[0], 10_000);
    expect(fake.requests.length).toBeGreaterThan(before);
    expect(local.length).toBeGreaterThan(0);
    expect(local).not.toMatch(/\d/);
    expect(chunks).toEqual([]);
    await joined.room.leave();
    // /metrics counts replies by how they were answered, streamed ones replaced by why, and the time to a first chunk.
    const metrics = (await http(server, 'GET', '/metrics')).text;
    expect(series(metrics, 'lairmind_dialogue_replies').find((s) => s.labels === '{source="cloud"}')?.value).toBeGreaterThanOrEqual(1);
    expect(series(metrics, 'lairmind_dialogue_replaced').find((s) => s.labels === '{reason="provider"}')?.value).toBeGreaterThanOrEqual(1);
    expect(series(metrics, 'lairmind_dialogue_first_chunk_seconds_count')[0]?.value).toBeGreaterThanOrEqual(1);

    const guest = await joinAlone(server, undefined);
    const smith = await spawnSmith(server, guest.joined, guest.at);
    const asked = fake.requests.length;
    guest.joined.room.send('talk', { to: smith, text: 'my name is Kestrel' });
    const reply = await waitFor('a reply to the guest', () => linesOf(guest.joined, smith)[0], 10_000);
    expect(reply).toMatch(/Kestrel/);
    expect(fake.requests.length).toBe(asked);
    await guest.joined.room.leave();
  }, 60_000);
});
