import { LocalPresence } from '@colyseus/core';
import { describe, expect, it } from 'vitest';
import { defaultRegistry, Simulation, zoneIdBase } from '../../actors/index.ts';
import type { ActorId } from '../../actors/index.ts';
import { ZoneLink } from '../../rooms/index.ts';
import type { TravellingPlayer } from '../../rooms/index.ts';
import { zoneGrid, zoneKey, zoneRoomId } from '../../shared/index.ts';
import type { TerrainQuery, ZoneCoord } from '../../shared/index.ts';

/** Open ground everywhere, negative coordinates included (zones meet at the origin). */
const OPEN_GROUND: TerrainQuery = { tileSize: 1, isWalkable: () => true, moveCost: () => 1 };

/**
 * The zone protocol between simulations that share a real presence (Colyseus' embedded one), stepped by hand:
 * actors walking over borders in every direction are handed over exactly once, whatever the order in which
 * zones step, including into a zone that starts while they are crossing.
 */
const SEED = 'zone-link-test';
const grid = zoneGrid(128, 64); // zones -1..0 on each axis: a 2 × 2 world

interface Zone {
  readonly coord: ZoneCoord;
  readonly sim: Simulation;
  readonly link: ZoneLink;
  readonly arrived: ActorId[];
}

class ZonedWorld {
  readonly presence = new LocalPresence();
  readonly zones = new Map<string, Zone>();
  readonly logs: { level: string; message: string }[] = [];
  now = 0;

  async open(coord: ZoneCoord): Promise<Zone> {
    const sim = new Simulation({ seed: SEED, registry: defaultRegistry(), terrain: OPEN_GROUND, dt: 1 / 20, idBase: zoneIdBase(coord.x, coord.y) });
    const arrived: ActorId[] = [];
    const link = new ZoneLink({
      roomId: zoneRoomId(SEED, coord),
      worldId: 'w-test',
      grid,
      zone: coord,
      sim: () => sim,
      presence: () => this.presence,
      roomIdOf: (z) => zoneRoomId(SEED, z),
      ensure: async () => {},
      playerOf: () => null,
      avatarLeft: () => {},
      avatarArrived: (actor: ActorId, _p: TravellingPlayer) => arrived.push(actor),
      log: (level, message) => this.logs.push({ level, message }),
      now: () => this.now,
    });
    await link.open(null);
    const z = { coord, sim, link, arrived };
    this.zones.set(zoneKey(coord), z);
    return z;
  }

  /** One tick everywhere (zones in the given order), then let presence deliver. */
  async tick(order: readonly Zone[] = [...this.zones.values()]): Promise<void> {
    this.now += 50;
    for (const z of order) z.link.afterStep(z.sim.step());
    await settle();
  }

  /** Where every walker is for real, by id: the zones holding it. */
  holders(ids: readonly ActorId[]): Map<ActorId, string[]> {
    const out = new Map<ActorId, string[]>(ids.map((id) => [id, []]));
    for (const [k, z] of this.zones) {
      for (const id of ids) {
        const a = z.sim.world.actors.get(id);
        if (a && a.status !== 'stopped') out.get(id)?.push(k);
      }
    }
    return out;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** Walkers: players' avatars told to walk in a direction (they keep walking), starting near a border. */
function addWalkers(z: Zone, n: number, dir: { x: number; y: number }, at: (i: number) => { x: number; y: number }): Promise<ActorId[]> {
  const refs = Array.from({ length: n }, (_, i) => `w${zoneKey(z.coord)}:${i}`);
  for (let i = 0; i < n; i++) {
    const p = at(i);
    z.sim.input({ type: 'spawn', ref: refs[i], spec: { kind: 'player', behaviour: 'player', params: {}, body: { x: p.x, y: p.y, faction: 'players', speed: 5, maxHp: 100 } } });
  }
  const report = z.sim.step();
  const ids = report.refs.filter((r) => refs.includes(r.ref)).map((r) => r.id);
  for (const id of ids) z.sim.input({ type: 'send', to: id, message: { type: 'command', move: dir } });
  return Promise.resolve(ids);
}

describe('zone handover (one process, embedded presence)', () => {
  it('hands 120 walkers over borders in every direction exactly once: none lost, none twice', async () => {
    const w = new ZonedWorld();
    const a = await w.open({ x: -1, y: -1 });
    const b = await w.open({ x: 0, y: -1 });
    const c = await w.open({ x: -1, y: 0 });
    const d = await w.open({ x: 0, y: 0 });
    // a's walkers go east into b, b's go south into d, d's west into c, c's north into a: around and around.
    const ids = [
      ...(await addWalkers(a, 30, { x: 1, y: 0 }, (i) => ({ x: -10 - (i % 5), y: -60 + i * 1.8 }))),
      ...(await addWalkers(b, 30, { x: 0, y: 1 }, (i) => ({ x: 4 + i * 1.8, y: -10 - (i % 5) }))),
      ...(await addWalkers(d, 30, { x: -1, y: 0 }, (i) => ({ x: 10 + (i % 5), y: 4 + i * 1.8 }))),
      ...(await addWalkers(c, 30, { x: 0, y: -1 }, (i) => ({ x: -60 + i * 1.8, y: 10 + (i % 5) }))),
    ];
    expect(ids).toHaveLength(120);
    let maxHolders = 0;
    // Vary the stepping order: zones on different processes do not step in lockstep.
    const orders = [[a, b, c, d], [d, c, b, a], [b, d, a, c]];
    for (let t = 0; t < 160; t++) {
      await w.tick(orders[t % orders.length]);
      for (const held of w.holders(ids).values()) maxHolders = Math.max(maxHolders, held.length);
    }
    // Let the last handovers land.
    for (let t = 0; t < 40; t++) await w.tick();
    const held = w.holders(ids);
    const twice = [...held].filter(([, zs]) => zs.length > 1);
    const lost = [...held].filter(([, zs]) => zs.length === 0);
    expect(maxHolders).toBe(1);
    expect(twice).toEqual([]);
    expect(lost).toEqual([]);
    const out = [...w.zones.values()].reduce((s, z) => s + z.link.counters.handoversOut, 0);
    const inn = [...w.zones.values()].reduce((s, z) => s + z.link.counters.handoversIn, 0);
    // Walkers 32 tiles from a border walking 5 tiles a second cross at least once in 10 s.
    expect(out).toBeGreaterThanOrEqual(120);
    expect(inn).toBe(out);
    for (const z of w.zones.values()) expect(z.link.outbox.size).toBe(0);
    // The walkers keep their ids: each one is where its position says.
    for (const [id, zs] of held) {
      const z = w.zones.get(zs[0] as string) as Zone;
      const body = z.sim.world.actors.get(id)?.body;
      expect(body).toBeTruthy();
    }
  });

  it('a walker crossing into a zone that is not running yet is taken when that zone starts', async () => {
    const w = new ZonedWorld();
    const a = await w.open({ x: -1, y: 0 });
    const ids = await addWalkers(a, 5, { x: 1, y: 0 }, (i) => ({ x: -3, y: 10 + i * 3 }));
    for (let t = 0; t < 30; t++) await w.tick();
    // Released and recorded, but nobody is there to take them.
    expect([...w.holders(ids).values()].every((zs) => zs.length === 0)).toBe(true);
    expect(a.link.outbox.size).toBe(5);
    const b = await w.open({ x: 0, y: 0 }); // starts, reads the ownership records
    for (let t = 0; t < 30; t++) await w.tick();
    const held = w.holders(ids);
    expect([...held.values()].map((zs) => zs.join())).toEqual(ids.map(() => zoneKey(b.coord)));
    expect(a.link.outbox.size).toBe(0);
  });

  it('neighbours see each other\'s border actors as ghosts, and blows on a ghost reach its owner', async () => {
    const w = new ZonedWorld();
    const west = await w.open({ x: -1, y: 0 });
    const east = await w.open({ x: 0, y: 0 });
    const [player] = await addWalkers(west, 1, { x: 0, y: 0 }, () => ({ x: -4, y: 20 }));
    for (let t = 0; t < 4; t++) await w.tick();
    expect(east.sim.world.actors.has(player as number)).toBe(false);
    const ghost = east.sim.world.ghosts.get(player as number);
    expect(ghost?.kind).toBe('player');
    expect(ghost?.body.x).toBeCloseTo(-4, 0);
    // A player of the east zone strikes the western player across the border.
    const [striker] = await addWalkers(east, 1, { x: 0, y: 0 }, () => ({ x: -3, y: 20 }));
    const hp0 = west.sim.world.actors.get(player as number)?.body?.hp as number;
    east.sim.input({ type: 'send', to: striker as number, message: { type: 'command', attack: player as number } });
    for (let t = 0; t < 40; t++) await w.tick();
    const hp1 = west.sim.world.actors.get(player as number)?.body?.hp as number;
    expect(hp1).toBeLessThan(hp0);
  });
});
