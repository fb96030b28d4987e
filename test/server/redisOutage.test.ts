import { Client, MatchMakeError } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';
import { track, waitFor } from '../rooms/serverHarness.ts';
import type { Joined } from '../rooms/serverHarness.ts';

// Two real server processes share a real redis-server, which is killed (SIGKILL) and restarted empty on the
// same port, and later has every connection cut while it keeps its data.

const TOKEN = 'outage-test-admin-token';
let redis: TestRedis;
let a: ServerProcess;
let b: ServerProcess;
const clients: Joined[] = [];

interface Health {
  status: string;
  components: { presence: { status: string; state?: string; errors?: number }; llm: { status: string; sharedReachable?: boolean } };
}

/** GET /health; the answer and how long it took. */
async function health(p: ServerProcess): Promise<{ status: number; body: Health; ms: number }> {
  const t = performance.now();
  const res = await fetch(`http://127.0.0.1:${p.port}/health`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as Health, ms: performance.now() - t };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms: number): Promise<number> {
  const t0 = performance.now();
  while (!(await check())) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return performance.now() - t0;
}

/** The structured lines a process logged about Redis. */
function redisLines(p: ServerProcess): { state: string; errors?: number; downMs?: number; rooms?: number; staleListings?: number }[] {
  return p.logs.flatMap((l) => {
    try {
      const o = JSON.parse(l) as { dependency?: string; state: string };
      return o.dependency === 'redis' ? [o] : [];
    } catch {
      return [];
    }
  });
}

async function listed(p: ServerProcess): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${p.port}/admin/rooms`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (res.status !== 200) return [];
  return ((await res.json()) as { rooms: { roomId: string }[] }).rooms.map((r) => r.roomId);
}

/** A matchmaking request that must be refused quickly with the clear error. */
async function refused(what: string, request: () => Promise<unknown>): Promise<void> {
  const t = performance.now();
  const err = await request().then(() => undefined, (e: unknown) => e);
  const ms = performance.now() - t;
  expect(err, `${what} should fail`).toBeInstanceOf(MatchMakeError);
  expect((err as MatchMakeError).code, what).toBe(503);
  expect((err as MatchMakeError).message, what).toMatch(/^matchmaking unavailable: Redis is unreachable/);
  expect(ms, `${what} took ${Math.round(ms)} ms`).toBeLessThan(2000);
}

/** Count state patches a client receives. */
function patches(j: Joined): () => number {
  let n = 0;
  j.room.onStateChange(() => n++);
  return () => n;
}

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'info', WORLD_SIZE: '128', SEED: 'outage', MATCHMAKE_LOOPBACK: 'exempt' };
  [a, b] = await Promise.all([startServerProcess(env, { captureLogs: true, publicAddress: true }), startServerProcess(env, { captureLogs: true, publicAddress: true })]);
}, 120_000);

afterAll(async () => {
  for (const c of clients.filter((j) => j.mirror.leftCode === null)) c.room.connection.close(); // after a failure only
  await Promise.all([a?.stop(1000), b?.stop(1000)]);
  await redis?.kill();
}, 30_000);

describe('two server processes through a Redis outage', () => {
  let roomId = '';
  let host: ServerProcess;
  let other: ServerProcess;
  let first: Joined;
  let second: Joined;

  it('while Redis is down: /health says 503 within 1 s every time, matchmaking fails fast and clearly, live rooms keep playing, the LLM gateway runs locally', async () => {
    first = track(await new Client(a.url).create('world', { name: 'alice' }));
    clients.push(first);
    roomId = first.room.roomId;
    const listA = (await (await fetch(`http://127.0.0.1:${a.port}/admin/rooms`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { rooms: { roomId: string; local: boolean }[] };
    [host, other] = listA.rooms.find((r) => r.roomId === roomId)?.local ? [a, b] : [b, a];
    second = track(await new Client(other.url).joinById(roomId, { name: 'bob' }));
    clients.push(second);
    const avatar = await waitFor('alice avatar', () => first.avatar());
    await waitFor('alice sees herself', () => first.mirror.entities.get(String(avatar)));
    const seen = patches(first);

    await redis.kill();
    for (const p of [a, b]) {
      const detected = await until('/health 503', async () => (await health(p)).status === 503, 1000);
      expect(detected).toBeLessThan(1000);
      for (let i = 0; i < 5; i++) {
        const h = await health(p);
        expect(h.status).toBe(503);
        expect(h.ms).toBeLessThan(1000);
        expect(h.body.components.presence.status).toBe('down');
        expect(h.body.components.llm).toMatchObject({ status: 'ok', sharedReachable: false });
      }
    }

    for (const p of [a, b]) {
      await refused('joinById', () => new Client(p.url).joinById(roomId, { name: 'late' }));
      await refused('joinOrCreate', () => new Client(p.url).joinOrCreate('world', { name: 'late' }));
      await refused('create', () => new Client(p.url).create('world', { name: 'late' }));
    }

    // Already connected clients keep playing: input is handled and patches keep coming.
    const start = { ...first.mirror.entities.get(String(avatar))! };
    const before = seen();
    first.room.send('move', { dir: { x: 1, y: 0 } });
    await waitFor('alice moved during the outage', () => first.mirror.entities.get(String(avatar))!.x > start.x + 1, 5000);
    await waitFor('ten patches during the outage', () => seen() - before >= 10, 5000);
    first.room.send('move', { dir: { x: 0, y: 0 } });
    expect(first.mirror.leftCode).toBeNull();
    expect(second.mirror.leftCode).toBeNull();

    // One structured line per process for the outage, not one per connection error.
    for (const p of [a, b]) {
      expect(redisLines(p).map((l) => l.state)).toEqual(['down']);
      expect(p.logs.filter((l) => l.includes('RedisPresence'))).toEqual([]);
    }
  }, 60_000);

  it('when Redis restarts empty: each process registers its rooms again; the room is joinable by id through both and listed', async () => {
    redis = await redis.restart();
    for (const p of [a, b]) await until('/health 200 again', async () => (await health(p)).status === 200, 10_000);
    for (const p of [a, b]) expect(await listed(p)).toEqual([roomId]);
    for (const p of [host, other]) {
      const j = track(await new Client(p.url).joinById(roomId, { name: `via-${p.port}` }));
      clients.push(j);
      await waitFor('joined avatar', () => j.avatar());
    }
    for (const p of [a, b]) {
      expect((await health(p)).body.components.llm.sharedReachable).toBe(true);
      const lines = redisLines(p);
      expect(lines.map((l) => l.state)).toEqual(['down', 'up']);
      expect(lines[1]!.errors).toBeGreaterThan(0);
      expect(lines[1]!.downMs).toBeGreaterThan(0);
    }
    expect(redisLines(host)[1]).toMatchObject({ rooms: 1, staleListings: 0 });
  }, 60_000);

  it('after connections drop while Redis keeps its data: nothing is duplicated', async () => {
    const admin = new Redis({ port: redis.port, host: '127.0.0.1' });
    try {
      const downs = [a, b].map((p) => redisLines(p).length);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal'); // not this connection (SKIPME yes)
      for (const [k, p] of [a, b].entries()) await until('recovered', () => redisLines(p).length >= downs[k]! + 2 && redisLines(p).at(-1)!.state === 'up', 10_000);
      for (const p of [a, b]) await until('/health 200', async () => (await health(p)).status === 200, 5000);
      expect(await admin.hlen('roomcaches')).toBe(1);
      expect(await admin.hlen('roomcount')).toBe(2);
      expect(await admin.pubsub('NUMSUB', `$${roomId}`)).toEqual([`$${roomId}`, 1]);
      const j = track(await new Client(other.url).joinById(roomId, { name: 'after-cut' }));
      clients.push(j);
      await waitFor('joined avatar', () => j.avatar());
    } finally {
      admin.disconnect();
    }
  }, 60_000);

  it('when Redis stops answering (SIGSTOP) and resumes with its data: /health says 503 meanwhile, and a room that closed meanwhile is unlisted', async () => {
    const extra = track(await new Client(a.url).create('world', { name: 'dave' }));
    const extraId = extra.room.roomId;
    await waitFor('dave avatar', () => extra.avatar());
    expect((await listed(b)).sort()).toEqual([roomId, extraId].sort());
    redis.process.kill('SIGSTOP');
    try {
      for (const p of [a, b]) await until('presence down on a frozen Redis', async () => (await health(p)).body.components.presence.status === 'down', 3000);
      for (const p of [a, b]) {
        const h = await health(p);
        expect(h.status).toBe(503);
        expect(h.ms).toBeLessThan(1000);
        expect(h.body.components.llm).toMatchObject({ status: 'ok', sharedReachable: false });
      }
      await extra.room.leave(); // the room empties and is disposed while Redis cannot hear of it
      // Once no process hosts it, neither can say where it is while Redis is frozen: 503, not a wait.
      await until('the room disposed', async () => {
        const codes = await Promise.all([a, b].map(async (p) => (await fetch(`http://127.0.0.1:${p.port}/admin/rooms/${extraId}`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(2000) })).status));
        return codes.every((c) => c === 503);
      }, 5000);
    } finally {
      redis.process.kill('SIGCONT');
    }
    for (const p of [a, b]) await until('/health 200', async () => (await health(p)).status === 200, 10_000);
    for (const p of [a, b]) expect(await listed(p)).toEqual([roomId]);
    expect([a, b].map((p) => redisLines(p).at(-1)!.staleListings ?? 0).reduce((x, y) => x + y)).toBe(1); // removed by the recovery
  }, 60_000);

  it('SIGTERM during an outage: clients get a clean close code and each process exits within 3 s', async () => {
    await redis.kill();
    for (const p of [a, b]) await until('/health 503', async () => (await health(p)).status === 503, 1000);
    const onHost = clients.filter((c) => c.mirror.leftCode === null);
    expect(onHost.length).toBeGreaterThanOrEqual(4);
    for (const p of [host, other]) {
      const t = performance.now();
      p.proc.kill('SIGTERM');
      const { code } = await p.exited;
      const ms = performance.now() - t;
      expect(ms, `exit took ${Math.round(ms)} ms`).toBeLessThan(3000);
      expect(code).toBe(0);
    }
    await waitFor('every client told', () => onHost.every((c) => c.mirror.leftCode !== null), 2000);
    expect([...new Set(onHost.map((c) => c.mirror.leftCode))]).toEqual([4001]); // Colyseus' SERVER_SHUTDOWN
  }, 30_000);
});
