import { Client } from '@colyseus/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ERROR_REPLY_LIMIT, FLOOD_CLOSE_CODE } from '../../rooms/index.ts';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { join, waitFor } from './serverHarness.ts';
import type { Joined } from './serverHarness.ts';

// The server runs in its own process, as `npm start` runs it: what a flood costs it is measured by another client
// over the network, not by a test sharing its event loop.
let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ TRANSPORT: 'uws', WORLD_SIZE: '128', SEED: 'flood', PLAYER_SPAWNS: 'gather', LOG_LEVEL: 'error', MATCHMAKE_LOOPBACK: 'exempt' });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** Protocol codes of Colyseus frames (@colyseus/shared-types Protocol). */
const JOIN_ROOM = 10, ROOM_DATA_BYTES = 17;

type Players = Map<string, { actor: number }>;
const players = (j: Joined): Players => (j.room.state as { players: Players }).players;

async function joinAndSpawn(roomId?: string): Promise<Joined> {
  const j = await join(server.url, { name: 'flood-test' }, roomId ?? 'new');
  await waitFor('avatar', () => j.avatar() && j.mirror.entities.has(String(j.avatar())));
  return j;
}

/** Call `send` `n` times as fast as the socket takes them, yielding now and then so replies are read. */
async function flood(n: number, send: (i: number) => void): Promise<void> {
  for (let i = 0; i < n; i++) {
    try {
      send(i);
    } catch {
      return; // the socket is closed
    }
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
}

/** Raw bytes straight onto a client's socket (what a hostile client can send). */
function sendRaw(j: Joined, bytes: number[]): void {
  (j.room as unknown as { connection: { send(data: Uint8Array): void } }).connection.send(new Uint8Array(bytes));
}

/**
 * The longest time `watcher` hears nothing from the server while `during` runs. It walks (so every patch carries a
 * change) and pings every 50 ms, and both patches and pongs count as hearing from the server.
 */
async function longestSilence(watcher: Joined, during: () => Promise<void>): Promise<number> {
  watcher.room.send('move', { dir: { x: 1, y: 0 } });
  await new Promise((r) => setTimeout(r, 200));
  const times: number[] = [];
  watcher.room.onStateChange(() => times.push(performance.now()));
  watcher.room.onMessage('pong', () => times.push(performance.now()));
  let t = 0;
  const pinger = setInterval(() => watcher.room.send('ping', { t: t++ }), 50);
  const t0 = performance.now();
  try {
    await during();
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    clearInterval(pinger);
  }
  const t1 = performance.now();
  watcher.room.send('move', { dir: { x: 0, y: 0 } });
  const marks = [t0, ...times.filter((x) => x >= t0 && x <= t1).sort((x, y) => x - y), t1];
  let gap = 0;
  for (let i = 1; i < marks.length; i++) gap = Math.max(gap, marks[i]! - marks[i - 1]!);
  return gap;
}

/** The flooder is kicked for good: close code 4429, its player and avatar gone at once, its token refused. */
async function expectKicked(flooder: Joined, watcher: Joined, token: string, avatar: string, session: string): Promise<void> {
  await waitFor('flooder disconnected', () => flooder.mirror.leftCode !== null);
  expect(flooder.mirror.leftCode).toBe(FLOOD_CLOSE_CODE);
  // The room's reconnection grace is 20 s; a kicked player is removed well within one second.
  await waitFor('flooder removed from the room', () => !players(watcher).has(session), 1000);
  await waitFor('flooder avatar gone', () => !watcher.mirror.entities.has(avatar), 1000);
  await expect(new Client(server.url).reconnect(token)).rejects.toThrow();
  expect(watcher.mirror.leftCode).toBeNull();
  expect(watcher.mirror.errors).toEqual([]);
}

describe('flooding a world room (server in its own process)', () => {
  it('10,000 messages of an unknown type: a warning, a bounded number of errors, then 4429; others keep their patches', async () => {
    const watcher = await joinAndSpawn();
    const a = await joinAndSpawn(watcher.room.roomId);
    const avatar = String(a.avatar()), session = a.room.sessionId, token = a.room.reconnectionToken;
    await waitFor('watcher sees the flooder', () => watcher.mirror.entities.has(avatar) && players(watcher).has(session));
    const gap = await longestSilence(watcher, async () => {
      await flood(10_000, (i) => a.room.send('no-such-type' as never, i as never));
      await waitFor('flooder disconnected', () => a.mirror.leftCode !== null);
    });
    expect(a.mirror.messages.filter((m) => m.type === 'warning').length).toBeGreaterThanOrEqual(1);
    expect(a.mirror.errors.length).toBeGreaterThan(0);
    expect(a.mirror.errors.length).toBeLessThanOrEqual(DEFAULT_ERROR_REPLY_LIMIT.burst);
    expect(a.mirror.errors[0]!.message).toMatch(/unknown message type "no-such-type"/);
    await expectKicked(a, watcher, token, avatar, session);
    // Patches and pongs come every 50 ms; the flood may cost a few milliseconds, never a stall.
    expect(gap).toBeLessThan(200);
    await watcher.room.leave();
  });

  it('protocol pings count: a flood of room.ping() is kicked like any other', async () => {
    const watcher = await joinAndSpawn();
    const a = await joinAndSpawn(watcher.room.roomId);
    const avatar = String(a.avatar()), session = a.room.sessionId, token = a.room.reconnectionToken;
    let pongs = 0;
    await flood(5_000, () => a.room.ping(() => pongs++));
    await expectKicked(a, watcher, token, avatar, session);
    expect(pongs).toBeLessThan(200);
    await watcher.room.leave();
  });

  it('other protocol frames count too: join acknowledgements repeated, byte messages, unknown codes, truncated frames', async () => {
    const watcher = await joinAndSpawn();
    const frames: number[][] = [[JOIN_ROOM], [ROOM_DATA_BYTES, 0x81, 0x78, 1, 2, 3], [99, 1, 2], [ROOM_DATA_BYTES]];
    for (const frame of frames) {
      const a = await joinAndSpawn(watcher.room.roomId);
      const avatar = String(a.avatar()), session = a.room.sessionId, token = a.room.reconnectionToken;
      await flood(5_000, () => sendRaw(a, frame));
      await expectKicked(a, watcher, token, avatar, session);
      expect(a.mirror.errors.length, `errors after frame ${frame.join(',')}`).toBeLessThanOrEqual(DEFAULT_ERROR_REPLY_LIMIT.burst);
    }
    await watcher.room.leave();
  });

  it('requests get an error within the budget, never an answer from Colyseus', async () => {
    const a = await joinAndSpawn();
    const request = (a.room as unknown as { request(type: string, body: unknown): Promise<unknown> }).request.bind(a.room);
    const answered: unknown[] = [];
    for (const type of ['ping', 'no-such-type']) void request(type, { t: 1 }).then((r) => answered.push(r), () => {});
    await waitFor('two errors', () => a.mirror.errors.length >= 2);
    expect(a.mirror.errors.map((e) => e.message)).toEqual([expect.stringMatching(/requests are not answered by this room/), expect.stringMatching(/requests are not answered by this room/)]);
    a.room.send('ping', { t: 2 });
    await waitFor('pong', () => a.mirror.messages.find((m) => m.type === 'pong'));
    expect(answered).toEqual([]);
    expect(a.mirror.messages.filter((m) => m.type === 'pong')).toHaveLength(1);
    await a.room.leave();
  });

  it('error replies to invalid input are bounded: after the budget, one warning, then silence', async () => {
    const a = await joinAndSpawn();
    // 50 invalid messages at once: within the frame burst (60), so none is dropped for the rate.
    for (let i = 0; i < 50; i++) a.room.send('move', { dir: { x: 5, y: 0 } });
    a.room.send('ping', { t: 1 });
    await waitFor('pong', () => a.mirror.messages.find((m) => m.type === 'pong'));
    // The budget (20) and what refilled while the 50 arrived (2 a second).
    expect(a.mirror.errors.length).toBeGreaterThanOrEqual(DEFAULT_ERROR_REPLY_LIMIT.burst);
    expect(a.mirror.errors.length).toBeLessThanOrEqual(DEFAULT_ERROR_REPLY_LIMIT.burst + 2);
    expect(a.mirror.errors.every((e) => /move\.dir\.x/.test(e.message))).toBe(true);
    const warnings = a.mirror.messages.filter((m) => m.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(String((warnings[0]!.body as { message: string }).message)).toMatch(/invalid messages/);
    expect(a.mirror.leftCode).toBeNull();
    // The budget refills: a second later an invalid message is answered again, and valid ones still work.
    await new Promise((r) => setTimeout(r, 1100));
    a.room.send('attack', { target: 'nobody' } as never);
    await waitFor('an error again', () => a.mirror.errors.length > DEFAULT_ERROR_REPLY_LIMIT.burst);
    expect(a.mirror.errors.at(-1)!.message).toMatch(/attack\.target/);
    await a.room.leave();
  });

  it('a client at a steady 20 messages a second is never warned', async () => {
    const a = await joinAndSpawn();
    for (let i = 0; i < 40; i++) {
      a.room.send('ping', { t: i });
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor('last pong', () => a.mirror.messages.find((m) => m.type === 'pong' && (m.body as { t: number }).t === 39));
    expect(a.mirror.messages.filter((m) => m.type === 'warning')).toEqual([]);
    expect(a.mirror.leftCode).toBeNull();
    await a.room.leave();
  });
});
