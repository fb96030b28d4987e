import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zoneRoomId } from '../../shared/index.ts';
import { startServerProcess } from '../../tools/loadtest/index.ts';
import type { ServerProcess } from '../../tools/loadtest/index.ts';
import { tempDataDir } from '../../tools/tempDataDir.ts';
import { waitFor } from './serverHarness.ts';

/** Zones nobody is in or near go to sleep (snapshot, then disposed) and wake as they were when someone comes back. */
const SEED = 'zone-sleep';
const TOKEN = 'zone-sleep-admin-token-0123456789';

interface ZoneInfo { roomId: string; zone: { x: number; y: number }; actors: number; tick: number }

let server: ServerProcess;
const http = (): string => server.url.replace(/^ws/, 'http');

async function zones(): Promise<ZoneInfo[]> {
  const res = await fetch(`${http()}/admin/zones`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { zones: ZoneInfo[] }).zones;
}

async function poll<T>(what: string, check: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function entities(room: Room): { id: number; kind: string }[] {
  const out: { id: number; kind: string }[] = [];
  (room.state as { entities?: Map<string, { id: number; kind: string }> }).entities?.forEach((e) => out.push({ id: e.id, kind: e.kind }));
  return out;
}

beforeAll(async () => {
  server = await startServerProcess({
    SEED, WORLD_SIZE: '64', ZONE_SIZE: '32', MONSTER_DENSITY: '3', ZONE_SLEEP_SECONDS: '1', SNAPSHOT_SECONDS: '1', ADMIN_TOKEN: TOKEN,
    MATCHMAKE_LOOPBACK: 'exempt', TRANSPORT: 'ws', DATA_DIR: tempDataDir('zone-sleep'),
  }, { timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe('zones that sleep and wake (server in its own process, embedded store)', () => {
  it('an empty zone sleeps, and wakes with its monsters and on the world\'s clock when a player comes back', async () => {
    const room = await new Client(server.url).joinOrCreate('zone', { name: 'visitor' });
    room.reconnection.enabled = false;
    expect(room.roomId).toBe(zoneRoomId(SEED, { x: 0, y: 0 }));
    const monster = await waitFor('a monster in view', () => entities(room).find((e) => e.kind === 'monster'), 10_000);
    const before = (await zones()).find((z) => z.roomId === room.roomId)!;
    expect(before.actors).toBeGreaterThan(1);
    await room.leave(true);

    // Nobody in or near: every zone sleeps.
    await poll('every zone asleep', async () => ((await zones()).length === 0 ? true : undefined), 15_000);
    const sleptAt = performance.now();
    await new Promise((r) => setTimeout(r, 1000));

    const back = await new Client(server.url).joinOrCreate('zone', { name: 'visitor-again' });
    back.reconnection.enabled = false;
    expect(back.roomId).toBe(room.roomId);
    const woken = (await zones()).find((z) => z.roomId === back.roomId)!;
    // The same monster, from the snapshot (ids are the zone's own: a fresh zone would give them anew).
    const res = await fetch(`${http()}/admin/rooms/${back.roomId}/actors/${monster.id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    // The world's clock went on while the zone slept: the zone caught up instead of resuming where it stopped.
    const sleptTicks = Math.floor(((performance.now() - sleptAt) / 1000) * 20);
    expect(woken.tick).toBeGreaterThanOrEqual(before.tick + sleptTicks - 5);
    await back.leave(true);
  }, 60_000);
});
