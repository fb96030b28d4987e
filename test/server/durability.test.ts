import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bot } from '../../tools/bots/index.ts';
import { adminRequest, httpBase } from '../../tools/adminClient.ts';
import { freePort } from '../../tools/freePort.ts';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';
import { tempDataDir } from '../../tools/tempDataDir.ts';
import { openSnapshotStore } from '../../server/snapshots/index.ts';
import { cli } from '../tools/runCli.ts';

const TOKEN = 'durability-admin-token-0123456789';
const TICK_RATE = 20;

const servers: ServerProcess[] = [];
const bots: Bot[] = [];
let redis: TestRedis | undefined;

afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop(2000)));
  await redis?.stop();
  redis = undefined;
});

async function start(env: Record<string, string>, opts: { port?: number; publicAddress?: boolean } = {}): Promise<ServerProcess> {
  const s = await startServerProcess({
    ADMIN_TOKEN: TOKEN, WORLD_SIZE: '96', SEED: 'durable', MONSTER_DENSITY: '0.5', TICK_RATE: String(TICK_RATE), RECONNECT_SECONDS: '20', MATCHMAKE_LOOPBACK: 'exempt', ...env,
  }, { captureLogs: true, ...opts });
  servers.push(s);
  return s;
}

async function admin(s: ServerProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await adminRequest(httpBase(s.url), TOKEN, method, path, body, 5000);
  return { status: r.status, body: r.body as Record<string, unknown> };
}

/** Poll `check` every 100 ms until it returns a value, or fail after `ms`. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined | null | false> | T | undefined | null | false): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function joinBot(s: ServerProcess, index: number, endpoints: string[] = []): Promise<Bot> {
  const bot = new Bot({ url: s.url, behaviour: 'wanderer', seed: 'durable', index, rejoinWithinMs: 25_000, endpoints });
  bots.push(bot);
  expect(await bot.start()).toBe(true);
  await until('the bot has its avatar and its resume key', 20_000, () => bot.view?.selfId() && bot.resume);
  return bot;
}

async function latestSnapshotTick(s: ServerProcess, roomId: string): Promise<number> {
  const r = await admin(s, 'GET', `/admin/rooms/${roomId}/snapshots`);
  const list = (r.body.snapshots ?? []) as { tick: number }[];
  return list.length ? Math.max(...list.map((x) => x.tick)) : -1;
}

describe('durable rooms', () => {
  it('a restarted server brings its room back; its players rejoin their own avatars; the recording replays', async () => {
    const dataDir = tempDataDir('durable');
    const port = await freePort();
    const env = { DATA_DIR: dataDir, SNAPSHOT_SECONDS: '1' };
    const a = await start(env, { port });
    const bot = await joinBot(a, 0);
    const avatar = bot.view?.selfId();
    const roomId = (bot.resume as { roomId: string }).roomId;
    await until('a snapshot of the room', 10_000, async () => (await latestSnapshotTick(a, roomId)) > 0);

    // The flight recorder: the window since the last snapshot replays headless to the room's own state hash.
    for (const x of [1, -1, 1]) bot.room?.send('move', { dir: { x, y: 0.5 } });
    await new Promise((r) => setTimeout(r, 300));
    const rec = await admin(a, 'GET', `/admin/rooms/${roomId}/recording`);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ format: 'lairmind-recording', roomId });
    expect((rec.body.entries as unknown[]).length).toBeGreaterThan(0); // the bot's moves at least
    const file = join(dataDir, 'recording.json');
    writeFileSync(file, JSON.stringify(rec.body));
    const replayed = await cli('replay', file);
    expect(replayed.out).toContain('replay: matches the recorded room');
    expect(replayed.code).toBe(0);
    // One recorded move changed: the replay must notice.
    const tampered = JSON.parse(JSON.stringify(rec.body)) as { entries: { input?: { message?: { move?: { x: number; y: number } } } }[] };
    const lastMove = tampered.entries.filter((e) => e.input?.message?.move).pop();
    if (!lastMove?.input?.message) throw new Error('no move recorded');
    lastMove.input.message.move = { x: -0.3, y: -1 };
    writeFileSync(file, JSON.stringify(tampered));
    const differs = await cli('replay', file);
    expect(differs.out).toContain('DIFFERS');
    expect(differs.code).toBe(1);

    const before = await admin(a, 'GET', `/admin/rooms/${roomId}`);
    const tickBefore = before.body.tick as number;
    await a.stop(5000); // SIGTERM: a graceful shutdown takes a last snapshot with the player still in it
    const b = await start(env, { port });
    const restored = await until('the room back on the restarted server', 15_000, async () => {
      const r = await admin(b, 'GET', `/admin/rooms/${roomId}`);
      return r.status === 200 && r.body;
    });
    expect(restored.restoredAt as number).toBeGreaterThanOrEqual(tickBefore);
    await until('the bot back in the room', 25_000, () => bot.rejoins.length > 0 && bot.status === 'connected' && bot.view?.selfId());
    expect(bot.view?.selfId()).toBe(avatar); // its own avatar, not a new one
    const after = await admin(b, 'GET', `/admin/rooms/${roomId}`);
    expect(after.body).toMatchObject({ players: 1, clients: 1 });
  }, 90_000);

  it('a damaged latest snapshot is skipped for the one before it, and counted', async () => {
    const dataDir = tempDataDir('durable');
    const env = { DATA_DIR: dataDir, SNAPSHOT_SECONDS: '1' };
    const a = await start(env);
    await joinBot(a, 0);
    const roomId = (bots[0]?.resume as { roomId: string }).roomId;
    await until('two snapshots', 15_000, async () => ((await admin(a, 'GET', `/admin/rooms/${roomId}/snapshots`)).body.snapshots as unknown[]).length >= 2);
    await a.stop(5000); // the player still in the room: the room comes back (an emptied room ends with its last player)
    // The newest snapshot is damaged on disk (a torn write, a bad sector): one byte flipped in the middle.
    const store = await openSnapshotStore({ dataDir, keep: 3, timeoutMs: 2000 });
    const latest = await store.latest(roomId);
    if (!latest) throw new Error('no snapshot stored');
    const bytes = latest.bytes.slice();
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0xff;
    await store.save({ roomId, tick: latest.tick + 1, bytes, meta: latest.meta });
    await store.close();
    const b = await start(env);
    const restored = await until('the room back from the older snapshot', 15_000, async () => {
      const r = await admin(b, 'GET', `/admin/rooms/${roomId}`);
      return r.status === 200 && r.body;
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}; server log: ${b.logs.slice(-10).join(' | ')}`);
    });
    // The damaged snapshot (tick latest + 1) cannot be decoded: the room came from the good one at `latest.tick`,
    // then replayed the inputs recorded after it (so it may stand a tick or two later).
    expect(restored.restoredAt as number).toBeGreaterThanOrEqual(latest.tick);
    const metrics = await (await fetch(`${httpBase(b.url)}/metrics`)).text();
    expect(metrics).toMatch(/lairmind_snapshot_failures_total\{reason="corrupt"\} [1-9]/);
  }, 90_000);

  it('with Redis down at snapshot time the room runs on, the failures are counted and /health says degraded; it recovers', async () => {
    redis = await startRedis();
    const a = await start({ REDIS_URL: redis.url, SNAPSHOT_SECONDS: '1' });
    const bot = await joinBot(a, 0);
    const roomId = (bot.resume as { roomId: string }).roomId;
    await until('a snapshot of the room', 15_000, async () => (await latestSnapshotTick(a, roomId)) > 0);
    await redis.kill();
    const health = async (): Promise<Record<string, { status: string; failing?: { room: string; reason: string }[] }>> =>
      ((await (await fetch(`${httpBase(a.url)}/health`, { signal: AbortSignal.timeout(1500) })).json()) as { components: Record<string, { status: string }> }).components;
    const failing = await until('/health to show the room\'s snapshots failing', 10_000, async () => {
      const c = await health();
      return c.snapshots?.status === 'degraded' && c.snapshots.failing?.find((f) => f.room === roomId && /unavailable|timeout/.test(f.reason));
    });
    expect(failing.reason).toMatch(/unavailable|timeout/);
    const t1 = (await admin(a, 'GET', `/admin/rooms/${roomId}`)).body.tick as number;
    await new Promise((r) => setTimeout(r, 1000));
    expect((await admin(a, 'GET', `/admin/rooms/${roomId}`)).body.tick as number).toBeGreaterThan(t1 + 10); // still ticking
    const metrics = await (await fetch(`${httpBase(a.url)}/metrics`)).text();
    expect(metrics).toMatch(/lairmind_snapshot_failures_total\{reason="(unavailable|timeout)"\} [1-9]/);
    expect(metrics).not.toContain(redis.url);
    await redis.restart();
    await until('/health to show snapshots ok again', 20_000, async () => (await health()).snapshots?.status === 'ok');
    expect(bot.status).toBe('connected'); // the player never noticed
  }, 90_000);

  it('with Redis: kill -9 the process hosting a room; within 15 s the room is live on the other and its clients are back in it', async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, SNAPSHOT_SECONDS: '2', SNAPSHOT_LEASE_MS: '3000' };
    const a = await start(env, { publicAddress: true });
    const b = await start(env, { publicAddress: true });
    const first = await joinBot(a, 0, [b.url]);
    const roomId = (first.resume as { roomId: string }).roomId;
    const second = await joinBot(a, 1, [b.url]);
    expect((second.resume as { roomId: string }).roomId).toBe(roomId);
    const avatars = [first.view?.selfId(), second.view?.selfId()];
    const onA = async (): Promise<boolean> => ((await admin(a, 'GET', '/admin/rooms')).body.rooms as { roomId: string; local: boolean }[]).some((r) => r.roomId === roomId && r.local);
    const hostOf = async (): Promise<[ServerProcess, ServerProcess]> => ((await onA()) ? [a, b] : [b, a]);
    const [host, other] = await hostOf();
    const otherId = (await admin(other, 'GET', '/admin/rooms')).body.processId as string;
    await until('a snapshot of the room', 15_000, async () => (await latestSnapshotTick(host, roomId)) > 0);
    const tickAtKill = (await admin(host, 'GET', `/admin/rooms/${roomId}`)).body.tick as number;
    const t0 = performance.now();
    host.proc.kill('SIGKILL');
    await host.exited;
    const restored = await until('the room live on the other process', 15_000, async () => {
      const r = await admin(other, 'GET', `/admin/rooms/${roomId}`);
      return r.status === 200 && r.body.processId === otherId && r.body;
    });
    await until('both clients back in the room', Math.max(1000, 15_000 - (performance.now() - t0)), () => bots.every((x) => x.rejoins.length > 0 && x.status === 'connected' && x.view?.selfId()));
    const tookMs = performance.now() - t0;
    console.log(`failover: room live elsewhere and ${bots.length} clients back ${Math.round(tookMs)} ms after kill -9; restored at tick ${String(restored.restoredAt)}, killed at ${tickAtKill}`);
    expect(tookMs).toBeLessThanOrEqual(15_000);
    // At most SNAPSHOT_SECONDS of simulation lost (plus the ticks of one snapshot's write).
    expect(restored.restoredAt as number).toBeGreaterThanOrEqual(tickAtKill - 2 * TICK_RATE - TICK_RATE / 2);
    expect([first.view?.selfId(), second.view?.selfId()]).toEqual(avatars);
    const now = await admin(other, 'GET', `/admin/rooms/${roomId}`);
    expect(now.body).toMatchObject({ players: 2, clients: 2 });
  }, 120_000);
});
