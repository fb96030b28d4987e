import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_CALL_DEADLINE_MS } from '../../server/admin/roomCalls.ts';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';

// Two real server processes share one real redis-server: the admin API of either answers for a room on the other.

const TOKEN = 'any-process-admin-token-4242';
let redis: TestRedis;
let a: ServerProcess;
let b: ServerProcess;

interface Answer {
  status: number;
  body: Record<string, any>;
  ms: number;
}

async function admin(p: ServerProcess, method: string, path: string, body?: unknown): Promise<Answer> {
  const t = performance.now();
  const res = await fetch(`http://127.0.0.1:${p.port}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any>, ms: performance.now() - t };
}

interface Row {
  roomId: string;
  processId: string;
  local: boolean;
  summary: Record<string, any> | null;
  error?: string;
}

const rowOf = async (p: ServerProcess, roomId: string): Promise<{ processId: string; row: Row | undefined }> => {
  const list = await admin(p, 'GET', '/rooms');
  expect(list.status).toBe(200);
  return { processId: list.body.processId as string, row: (list.body.rooms as Row[]).find((r) => r.roomId === roomId) };
};

beforeAll(async () => {
  redis = await startRedis();
  // A lease longer than the test: the dead process's room must not be taken over while the test asks about it.
  const env = { REDIS_URL: redis.url, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'info', WORLD_SIZE: '128', SEED: 'any-process', MATCHMAKE_LOOPBACK: 'exempt', SNAPSHOT_LEASE_MS: '120000' };
  [a, b] = await Promise.all([startServerProcess(env, { captureLogs: true, publicAddress: true }), startServerProcess(env, { captureLogs: true, publicAddress: true })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(1000), b?.stop(1000)]);
  await redis?.kill();
}, 30_000);

describe('the admin API of any process answers for a room on any process', () => {
  let roomId = '';
  let host: ServerProcess;
  let other: ServerProcess;
  let hostId = '';

  it('lists every process\'s rooms with the process that hosts each, from either process', async () => {
    const created = await admin(a, 'POST', '/rooms', { scenario: 'wolf-ambush' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    roomId = created.body.roomId as string;
    // The admin API creates a room on the process it asked.
    const fromA = await rowOf(a, roomId);
    const fromB = await rowOf(b, roomId);
    expect(fromA.processId).not.toBe(fromB.processId);
    [host, other, hostId] = [a, b, fromA.processId];
    for (const { processId, row } of [fromA, fromB]) {
      expect(row).toMatchObject({ roomId, processId: hostId, local: processId === hostId, summary: { roomId, processId: hostId, scenario: { name: 'wolf-ambush' } } });
    }
  });

  it('inspects, spawns, despawns, pauses, steps and resumes a remote room; the effect shows on its host', async () => {
    const remote = (method: string, path: string, body?: unknown) => admin(other, method, `/rooms/${roomId}${path}`, body);
    const onHost = (method: string, path: string, body?: unknown) => admin(host, method, `/rooms/${roomId}${path}`, body);

    const spawned = await remote('POST', '/spawn', { entity: { monster: { id: 'solo', species: 'troll', name: 'Mossback', at: { x: 0, y: 0 } } }, at: { x: 10, y: 10 } });
    expect(spawned).toMatchObject({ status: 200, body: { roomId, instance: 'a1', count: 1, queued: 0, paused: false } });
    const troll = (spawned.body.spawned as number[])[0]!;
    expect(spawned.body.message).toBe(`Spawned 1 troll (#${troll}) near (10, 10)`);

    const seenRemote = await remote('GET', `/actors/${troll}`);
    expect(seenRemote).toMatchObject({ status: 200, body: { roomId, actor: { id: troll, kind: 'monster' } } });
    expect(seenRemote.body.actor.sections.summary.id).toBe(troll);
    expect((await onHost('GET', `/actors/${troll}`)).body.actor).toMatchObject({ id: troll, kind: 'monster' });

    // Paused: the room stands still; steps asked of the other process advance it on the host.
    const paused = await remote('POST', '/pause');
    expect(paused).toMatchObject({ status: 200, body: { roomId, paused: true } });
    const t0 = paused.body.tick as number;
    expect((await onHost('GET', '')).body).toMatchObject({ paused: true, tick: t0 });
    const before = (await onHost('GET', '')).body.actors as number;

    // A spawn into a paused room answers at once (queued for the next step), numbered where the room lives.
    const queued = await remote('POST', '/spawn', { entity: { pack: { species: 'wolf', size: 3, at: { x: 0, y: 0 } } }, at: { x: -20, y: 20 } });
    expect(queued).toMatchObject({ status: 200, body: { instance: 'a2', spawned: [], queued: 3, paused: true, tick: t0 } });
    expect((await onHost('GET', '')).body.actors).toBe(before);

    expect(await remote('POST', '/step', { ticks: 3 })).toMatchObject({ status: 200, body: { roomId, paused: true, tick: t0 + 3 } });
    const afterStep = (await onHost('GET', '')).body;
    expect(afterStep).toMatchObject({ tick: t0 + 3, paused: true });
    expect(afterStep.actors).toBeGreaterThanOrEqual(before + 3);

    expect(await remote('DELETE', `/actors/${troll}`)).toMatchObject({ status: 200, body: { roomId, despawned: troll } });
    expect(await remote('POST', '/step')).toMatchObject({ status: 200, body: { tick: t0 + 4 } });
    expect(await onHost('GET', `/actors/${troll}`)).toMatchObject({ status: 404, body: { error: `no actor ${troll} in room '${roomId}'` } });

    expect(await remote('POST', '/resume')).toMatchObject({ status: 200, body: { paused: false } });
    expect((await onHost('GET', '')).body.paused).toBe(false);
  });

  it('reports the room\'s LLM use, writes a snapshot and hands over the recording from the host', async () => {
    const remote = (method: string, path: string) => admin(other, method, `/rooms/${roomId}${path}`);
    expect(await remote('GET', '/llm')).toMatchObject({ status: 200, body: { roomId, tier: 'premium', budget: { limitUsd: 0.05 }, plans: {} } });
    const snap = await remote('POST', '/snapshot');
    expect(snap).toMatchObject({ status: 201, body: { roomId } });
    expect(snap.body.tick).toBeGreaterThan(0);
    const rec = await remote('GET', '/recording');
    expect(rec).toMatchObject({ status: 200, body: { format: 'lairmind-recording', roomId } });
    expect(rec.body.snapshot.length).toBeGreaterThan(100);
  });

  it('passes the host\'s refusals back unchanged: running room, unknown actor, bad spawn; an unknown room is 404', async () => {
    const remote = (method: string, path: string, body?: unknown) => admin(other, method, `/rooms/${roomId}${path}`, body);
    expect(await remote('POST', '/step', { ticks: 1 })).toMatchObject({ status: 409, body: { error: `room '${roomId}' is running; pause it before stepping` } });
    expect(await remote('GET', '/actors/999999')).toMatchObject({ status: 404, body: { error: `no actor 999999 in room '${roomId}'` } });
    expect(await remote('POST', '/spawn', { entity: { monster: { species: 'wolf', at: { x: 0, y: 0 } } }, at: { x: 500, y: 0 } }))
      .toMatchObject({ status: 400, body: { issues: [{ path: 'at', message: expect.stringMatching(/outside the world/) }] } });
    for (const p of [a, b]) {
      expect(await admin(p, 'GET', '/rooms/no-such-room/actors/1')).toMatchObject({ status: 404, body: { error: "no room 'no-such-room' on any server process" } });
      expect(await admin(p, 'POST', '/rooms/no-such-room/pause')).toMatchObject({ status: 404 });
    }
  });

  it('answers within its deadline with a 504 naming the room and its process once the host is dead', async () => {
    host.proc.kill('SIGKILL');
    await host.exited;
    const cases: [string, string][] = [['GET', `/rooms/${roomId}/actors/1`], ['POST', `/rooms/${roomId}/pause`], ['GET', `/rooms/${roomId}`]];
    for (const [method, path] of cases) {
      const r = await admin(other, method, path);
      expect(r.status, `${method} ${path}`).toBe(504);
      expect(r.body.error).toContain(`room '${roomId}'`);
      expect(r.body.error).toContain(`process '${hostId}'`);
      expect(r.body.error).toMatch(/did not answer .* within 2000 ms/);
      expect(r.ms).toBeLessThan(ROOM_CALL_DEADLINE_MS + 1500);
      expect(r.ms).toBeGreaterThanOrEqual(ROOM_CALL_DEADLINE_MS - 50);
    }
    // The list still answers: the dead process's room is listed with why it has no summary.
    const t = performance.now();
    const { row } = await rowOf(other, roomId);
    expect(performance.now() - t).toBeLessThan(ROOM_CALL_DEADLINE_MS + 1500);
    expect(row).toMatchObject({ roomId, processId: hostId, local: false, summary: null, error: expect.stringMatching(/did not answer/) });
    // The other process's own rooms are still served.
    const mine = await admin(other, 'POST', '/rooms', { scenario: 'village' });
    expect(mine.status).toBe(201);
    expect((await admin(other, 'GET', `/rooms/${mine.body.roomId}`)).body).toMatchObject({ roomId: mine.body.roomId, scenario: { name: 'village' } });
  });

  it('never writes the admin token into a log line', () => {
    for (const p of [a, b]) expect(p.logs.filter((l) => l.includes(TOKEN))).toEqual([]);
  });
});
