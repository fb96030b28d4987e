import { Client } from '@colyseus/sdk';
import { startServerProcess } from '../loadtest/serverProcess.ts';
import type { ServerProcess } from '../loadtest/serverProcess.ts';
import { startRedis } from '../redisServer.ts';
import type { TestRedis } from '../redisServer.ts';
import { DRILL_ADMIN_TOKEN, mb, probe, sleep, waitUntil, Watcher } from './harness.ts';
import type { Drill, DrillRow, TransportKind } from './drill.ts';

/** How long Redis stays down in the outage drill. */
const OUTAGE_MS = 30_000;

async function listed(p: ServerProcess, roomId: string): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${p.port}/admin/rooms`, { headers: { authorization: `Bearer ${DRILL_ADMIN_TOKEN}` }, signal: AbortSignal.timeout(2000) }).catch(() => null);
  if (res?.status !== 200) return false;
  return ((await res.json()) as { rooms: { roomId: string }[] }).rooms.some((r) => r.roomId === roomId);
}

/** The structured outage lines a process logged. */
function redisStates(p: ServerProcess): string[] {
  return p.logs.flatMap((l) => {
    try {
      const o = JSON.parse(l) as { dependency?: string; state?: string };
      return o.dependency === 'redis' && o.state ? [o.state] : [];
    } catch {
      return [];
    }
  });
}

/** A matchmaking request that must fail within 2 s with the clear error; returns how long it took. */
async function refusedFast(what: string, request: () => Promise<{ leave(): Promise<unknown> }>): Promise<number> {
  const t0 = performance.now();
  const room = await request().catch((e: unknown) => e as Error);
  const ms = performance.now() - t0;
  if (!(room instanceof Error)) {
    await room.leave();
    throw new Error(`${what} succeeded while Redis was down`);
  }
  if (!/Redis is unreachable/.test(room.message)) throw new Error(`${what} failed with '${room.message}', not the clear outage error`);
  if (ms > 2000) throw new Error(`${what} took ${ms.toFixed(0)} ms to fail`);
  return ms;
}

function env(transport: TransportKind, redis: TestRedis | undefined): Record<string, string> {
  return {
    TRANSPORT: transport, WORLD_SIZE: '128', SEED: 'drills', LOG_LEVEL: 'info', ADMIN_TOKEN: DRILL_ADMIN_TOKEN, MATCHMAKE_LOOPBACK: 'exempt',
    ...(redis && { REDIS_URL: redis.url }),
  };
}

export const redisOutage: Drill = {
  name: 'redis-outage',
  proves: `Redis killed for ${OUTAGE_MS / 1000} s and restarted empty under two processes: rooms keep ticking, /health says 503 within 1 s, joins fail fast and clearly, the gateway runs locally; afterwards the room is listed and joinable through both, with one log line each way`,
  redis: true,
  run: () => Promise.reject(new Error('redis-outage runs its own servers')),
  async custom(transport): Promise<DrillRow> {
    const t0 = performance.now();
    let redis = await startRedis();
    const procs: ServerProcess[] = [];
    let watcher: Watcher | undefined;
    const row = (ok: boolean, outcome: string, before: number, after: number): DrillRow => ({
      drill: 'redis-outage', transport, ok, outcome, worstPatchGapMs: Math.round(watcher?.worstGap() ?? 0), rssBeforeMb: mb(before), rssAfterMb: mb(after), seconds: (performance.now() - t0) / 1000,
    });
    let before = 0;
    try {
      procs.push(...(await Promise.all([0, 1].map(() => startServerProcess(env(transport, redis), { captureLogs: true, publicAddress: true })))));
      const [a, b] = procs as [ServerProcess, ServerProcess];
      watcher = await Watcher.join(a.url);
      const roomId = watcher.room.roomId;
      before = await probe(a).rss();
      watcher.reset();

      await redis.kill();
      const outageStart = performance.now();
      await waitUntil('both processes notice that Redis is gone (1 s)', async () => (await Promise.all(procs.map((p) => probe(p).health()))).every((h) => h.status === 503), 1000);
      const noticedMs = performance.now() - outageStart;
      let worstHealth = 0;
      let probes = 0;
      const failFast: number[] = [];
      while (performance.now() - outageStart < OUTAGE_MS) {
        for (const p of procs) {
          const h = await probe(p).health();
          if (h.status !== 503) throw new Error(`/health answered ${h.status || 'nothing within 1 s'} ${((performance.now() - outageStart) / 1000).toFixed(1)} s into the outage`);
          if (h.sharedReachable !== false) throw new Error('/health does not say the LLM gateway lost its shared store');
          worstHealth = Math.max(worstHealth, h.ms);
          probes++;
        }
        if (failFast.length === 0) {
          const t = performance.now();
          const res = await fetch(`http://127.0.0.1:${a.port}/admin/rooms`, {
            method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${DRILL_ADMIN_TOKEN}` }, body: '{"scenario":"wolf-ambush"}', signal: AbortSignal.timeout(3000),
          });
          const text = await res.text();
          if (res.status !== 503 || !/Redis is unreachable/.test(text)) throw new Error(`the admin API's create answered ${res.status} (${text.slice(0, 120)}) during the outage, not 503`);
          failFast.push(performance.now() - t);
        }
        if (failFast.length < 6) {
          failFast.push(await refusedFast('joinById through the other process', () => new Client(b.url).joinById(roomId, { name: 'late' })));
          failFast.push(await refusedFast('create', () => new Client(a.url).create('world', { name: 'late' })));
        }
        await sleep(1000);
      }
      const outageGap = watcher.worstGap();
      if (watcher.leftCode !== null) throw new Error(`the watching client was disconnected during the outage (${watcher.leftCode})`);

      redis = await redis.restart(); // empty: every listing and subscription is gone
      const back = performance.now();
      await waitUntil('both processes are healthy again', async () => (await Promise.all(procs.map((p) => probe(p).health()))).every((h) => h.status === 200 && h.sharedReachable === true), 15_000);
      const recoveredMs = performance.now() - back;
      await waitUntil('the room is listed through both processes', async () => (await listed(a, roomId)) && (await listed(b, roomId)), 5000);
      const late = await new Client(b.url).joinById(roomId, { name: 'after-outage' });
      await late.leave();
      for (const p of procs) {
        const states = redisStates(p);
        if (states.join(',') !== 'down,up') throw new Error(`a process logged the outage as [${states.join(', ')}], expected one down and one up line`);
        if (p.logs.some((l) => l.includes('RedisPresence'))) throw new Error('unstructured RedisPresence lines in the log');
      }
      const after = await probe(a).rss();
      const gap = watcher.worstGap();
      const ok = gap <= 1000;
      return row(ok, `${ok ? '' : `the watcher went ${gap.toFixed(0)} ms without a patch; `}noticed in ${noticedMs.toFixed(0)} ms; ${probes} health probes all 503 (worst ${worstHealth.toFixed(0)} ms); joins refused in ${Math.max(...failFast).toFixed(0)} ms at most; worst patch gap during the outage ${outageGap.toFixed(0)} ms; healthy ${(recoveredMs / 1000).toFixed(1)} s after the restart, room listed and joinable through both; one down and one up log line each`, before, after);
    } catch (err) {
      return row(false, err instanceof Error ? err.message : String(err), before, 0);
    } finally {
      await watcher?.leave();
      await Promise.all(procs.map((p) => p.stop(3000)));
      await redis.kill();
    }
  },
};

/** SIGTERM a server with a player connected: a clean close code, and out within 3 s. */
function sigterm(name: string, withRedis: boolean): Drill {
  return {
    name,
    proves: `SIGTERM ${withRedis ? 'while the Redis it uses is down' : 'with embedded presence'}: the player gets the shutdown close code (4001) and the process exits with 0 within 3 s`,
    redis: withRedis,
    run: () => Promise.reject(new Error(`${name} runs its own server`)),
    async custom(transport): Promise<DrillRow> {
      const t0 = performance.now();
      const redis = withRedis ? await startRedis() : undefined;
      let server: ServerProcess | undefined;
      let watcher: Watcher | undefined;
      let before = 0;
      let gap = 0; // until SIGTERM: after it, the room is gone
      const row = (ok: boolean, outcome: string): DrillRow => ({
        drill: name, transport, ok, outcome, worstPatchGapMs: Math.round(gap), rssBeforeMb: mb(before), rssAfterMb: 0, seconds: (performance.now() - t0) / 1000,
      });
      try {
        server = await startServerProcess(env(transport, redis), { captureLogs: true });
        watcher = await Watcher.join(server.url);
        before = await probe(server).rss();
        if (redis) {
          await redis.kill();
          await waitUntil('the server sees Redis gone', async () => (await probe(server as ServerProcess).health()).status === 503, 5000);
        }
        gap = watcher.worstGap();
        const asked = performance.now();
        server.proc.kill('SIGTERM');
        const exit = await Promise.race([server.exited, sleep(5000).then(() => null)]);
        const ms = performance.now() - asked;
        if (!exit) throw new Error('the process was still running 5 s after SIGTERM');
        await waitUntil('the player sees the room close', () => watcher?.leftCode !== null, 2000);
        const problems: string[] = [];
        if (exit.code !== 0) problems.push(`exit code ${exit.code ?? exit.signal}`);
        if (ms > 3000) problems.push(`exited after ${ms.toFixed(0)} ms`);
        if (watcher.leftCode !== 4001) problems.push(`the player's close code was ${watcher.leftCode}, not 4001`);
        return row(problems.length === 0, problems.length ? problems.join('; ') : `exited with 0 after ${ms.toFixed(0)} ms; the player got ${watcher.leftCode}`);
      } catch (err) {
        return row(false, err instanceof Error ? err.message : String(err));
      } finally {
        await server?.stop(1000);
        await redis?.kill();
      }
    },
  };
}

export const sigtermEmbedded = sigterm('sigterm', false);
export const sigtermRedisDown = sigterm('sigterm-redis-down', true);
