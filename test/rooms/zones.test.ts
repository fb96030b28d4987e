import type { ChildProcess } from 'node:child_process';
import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hopZone, readZoneMove } from '../../client/index.ts';
import type { ZoneMove } from '../../client/index.ts';
import { createWorldGen } from '../../procgen/index.ts';
import { straightWalk } from './straightWalk.ts';
import { zoneRoomId } from '../../shared/index.ts';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';
import { tempDataDir } from '../../tools/tempDataDir.ts';
import { startServerProcess } from '../../tools/loadtest/index.ts';
import { waitFor } from './serverHarness.ts';

/**
 * A world in zones over two server processes sharing one real Redis, each started as `lairmind serve` starts it:
 * a player walks from one zone into the next (often on the other process), with the client SDK following its
 * avatar through the reserved seat; a process is killed while a player crosses into one of its zones.
 */
const SEED = 'zones-test';
const TOKEN = 'zones-test-admin-token-0123456789';

interface Proc {
  readonly log: string[];
  readonly port: number;
  readonly child: ChildProcess;
  readonly http: string;
  readonly ws: string;
}

let redis: TestRedis;
const procs: Proc[] = [];

/** A whole server process, as `lairmind serve` runs, sharing the test's Redis. */
async function startProcess(): Promise<Proc> {
  const s = await startServerProcess({
    REDIS_URL: redis.url, LOG_LEVEL: 'warn', MATCHMAKE_LOOPBACK: 'exempt', SEED, WORLD_SIZE: '64', ZONE_SIZE: '32', MONSTER_DENSITY: '0',
    SNAPSHOT_SECONDS: '1', SNAPSHOT_LEASE_MS: '2000', ZONE_SLEEP_SECONDS: '600', ADMIN_TOKEN: TOKEN, DATA_DIR: tempDataDir('zones'),
  }, { publicAddress: true, captureLogs: true, timeoutMs: 30_000 });
  const p = { port: s.port, child: s.proc, http: `http://127.0.0.1:${s.port}`, ws: s.url, log: s.logs };
  procs.push(p);
  return p;
}

interface ZoneInfo {
  readonly roomId: string;
  readonly zone: { x: number; y: number };
  readonly holds?: boolean;
  readonly outbox: number;
}

/** Every zone of every live process, and which of them hold `actor` for real (not as a ghost). */
async function zonesEverywhere(actor?: number): Promise<{ proc: Proc; zones: ZoneInfo[] }[]> {
  const out: { proc: Proc; zones: ZoneInfo[] }[] = [];
  for (const p of procs) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
    const res = await fetch(`${p.http}/admin/zones${actor ? `?actor=${actor}` : ''}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    out.push({ proc: p, zones: ((await res.json()) as { zones: ZoneInfo[] }).zones });
  }
  return out;
}

async function holders(actor: number): Promise<string[]> {
  return (await zonesEverywhere(actor)).flatMap((p) => p.zones.filter((z) => z.holds).map((z) => z.roomId));
}

function avatarOf(room: Room): number {
  return (room.state as { players?: Map<string, { actor: number }> }).players?.get(room.sessionId)?.actor ?? 0;
}

function positionOf(room: Room, actor: number): { x: number; y: number } | undefined {
  const e = (room.state as { entities?: Map<string, { x: number; y: number }> }).entities?.get(String(actor));
  return e && { x: e.x, y: e.y };
}

/** Walk `room`'s avatar to `to` (round whatever stands in the way) until the room says it belongs to the next zone. */
async function walkUntilMoved(room: Room, to: { x: number; y: number }): Promise<ZoneMove> {
  const move = new Promise<ZoneMove>((resolve, reject) => {
    room.onMessage('zone', (body: unknown) => {
      const m = readZoneMove(body);
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
  });
  room.send('move', { to });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no zone move within 30 s')), 30_000));
  return Promise.race([move, timeout]);
}

/** The world's ground, as the servers generate it from the seed. */
const ground = createWorldGen({ seed: SEED });
const clearWalk = (from: { x: number; y: number }, directions: readonly { x: number; y: number; border: number }[]) => straightWalk(ground, from, directions);

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  for (const p of procs) {
    const said = p.log.filter((l) => /"level":(40|50|60)/.test(l));
    if (said.length) console.error(`process on ${p.port} said:\n${said.slice(-20).join('\n')}`);
  }
  await Promise.all(procs.map((p) => new Promise<void>((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    p.child.once('exit', () => resolve());
    p.child.kill('SIGTERM');
  })));
  await redis?.stop();
}, 30_000);

describe('a world in zones over two processes sharing Redis', () => {
  it('a player walks into the next zone: the SDK follows the avatar through the reserved seat, which exists exactly once', async () => {
    const [a] = [await startProcess(), await startProcess()];
    const client = new Client(a!.ws);
    const first = await client.joinOrCreate('zone', { name: 'walker' });
    first.reconnection.enabled = false;
    const actor = await waitFor('avatar', () => avatarOf(first), 10_000);
    await waitFor('avatar drawn', () => positionOf(first, actor), 5000);
    expect(first.roomId).toBe(zoneRoomId(SEED, { x: 0, y: 0 }));

    const start = positionOf(first, actor)!;
    // Zone (0, 0) covers [0, 32) on each axis: cross its west border, or its north one when water is in the way.
    const to = clearWalk(start, [{ x: -1, y: 0, border: 0 }, { x: 0, y: -1, border: 0 }]);
    const move = await walkUntilMoved(first, to);
    const into = to.x < 0 ? { x: -1, y: 0 } : { x: 0, y: -1 };
    expect(move.zone).toEqual(into);
    expect(move.roomId).toBe(zoneRoomId(SEED, into));
    const next = await hopZone(client, move);
    next.reconnection.enabled = false;
    expect(avatarOf(next)).toBe(actor); // the same avatar, with its id
    expect(Math.min(positionOf(next, actor)!.x, positionOf(next, actor)!.y)).toBeLessThan(0);
    // Inputs still reaching the old zone are passed on: stop walking through it, and the avatar stops.
    first.send('move', { dir: { x: 0, y: 0 } });
    await first.leave(true);
    const stopAt = positionOf(next, actor)!;
    await new Promise((r) => setTimeout(r, 600));
    expect(Math.hypot(positionOf(next, actor)!.x - stopAt.x, positionOf(next, actor)!.y - stopAt.y)).toBeLessThan(1.5);
    expect(await holders(actor)).toEqual([move.roomId]);

    // Zones landed where the matchmaker put them: both processes host some (the neighbours the player came near).
    const everywhere = await zonesEverywhere();
    expect(everywhere.filter((p) => p.zones.length > 0).length).toBe(2);
    await next.leave(true);
  }, 60_000);

  it('the process of the zone a player walks into is killed during the crossing: the zone comes back on the other process with the avatar, once', async () => {
    const client = new Client(procs[0]!.ws);
    const first = await client.joinOrCreate('zone', { name: 'crosser' });
    first.reconnection.enabled = false;
    let resume: { roomId: string; key: string } | null = null;
    first.onMessage('resume', (b: { roomId: string; key: string }) => {
      resume = b;
    });
    const actor = await waitFor('avatar', () => avatarOf(first), 10_000);
    await waitFor('avatar drawn', () => positionOf(first, actor), 5000);
    const [col, row] = (/(-?\d+)_(-?\d+)$/.exec(first.roomId) ?? []).slice(1).map(Number);
    expect([col, row].every((n) => Number.isInteger(n)), `zone of room ${first.roomId}`).toBe(true);
    const at = positionOf(first, actor)!;
    // Into the other row of zones, or the other column when the ground is in the way.
    const move = await walkUntilMoved(first, clearWalk(at, [{ x: 0, y: row === 0 ? -1 : 1, border: 0 }, { x: col === 0 ? -1 : 1, y: 0, border: 0 }]));
    const admin = new Redis({ port: redis.port, host: '127.0.0.1' });
    const listing = JSON.parse((await admin.hget('roomcaches', move.roomId)) ?? '{}') as { publicAddress?: string };
    admin.disconnect();
    const host = procs.find((p) => listing.publicAddress === `127.0.0.1:${p.port}`);
    expect(host).toBeDefined();
    // The handover is committed (the room told us); its target process dies now, before our client gets there.
    host!.child.kill('SIGKILL');
    await new Promise<void>((r) => host!.child.once('exit', () => r()));
    const survivor = procs.find((p) => p !== host && p.child.exitCode === null && p.child.signalCode === null)!;
    // The survivor takes the zone over when its lease runs out, from its snapshot and the ownership records.
    const found = await (async () => {
      const end = performance.now() + 20_000;
      while (performance.now() < end) {
        const h = await holders(actor).catch(() => []);
        if (h.length > 0) return h;
        await new Promise((r) => setTimeout(r, 250));
      }
      return [];
    })();
    expect(found).toEqual([move.roomId]);
    // The player gets back in with the key its first zone gave it.
    const key = (resume as { key: string } | null)?.key;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    const back = await new Client(survivor.ws).joinById(move.roomId, { name: 'crosser', resume: key });
    back.reconnection.enabled = false;
    await waitFor('avatar back', () => avatarOf(back) === actor, 10_000);
    expect(await holders(actor)).toEqual([move.roomId]);
    await back.leave(true);
    await first.leave(true).catch(() => {});
  }, 90_000);
});
