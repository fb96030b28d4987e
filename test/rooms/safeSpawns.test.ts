import { describe, expect, it } from 'vitest';
import { defaultRegistry, packSpawns, Simulation } from '../../actors/index.ts';
import { AvatarLife, farthestPoints, roomWorldGen, SAFE_MARGIN, SafeSpawns } from '../../rooms/index.ts';
import type { SpawnLayout, SpawnPoint } from '../../rooms/index.ts';

/** A room's world as WorldRoom.onCreate builds it (packs of monsters spawned), without Colyseus. */
function roomWorld(seed: string, worldSize = 192, monsterDensity = 1.5, layout: SpawnLayout = 'spread') {
  const gen = roomWorldGen({ seed, worldSize, monsterDensity });
  const sim = new Simulation({ seed, registry: defaultRegistry(), terrain: gen, dt: 1 / 20 });
  const half = Math.floor(worldSize / 2);
  for (const input of packSpawns(gen.spawnsInRegion(-half, -half, worldSize, worldSize))) sim.input(input);
  sim.step();
  return { gen, sim, spawns: new SafeSpawns(sim.world, gen, worldSize, { layout, seed }) };
}

/** Spawn a player's avatar at `p`, as a join does. */
function avatarAt(sim: Simulation, p: SpawnPoint): void {
  sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: AvatarLife.avatarParams(), body: { x: p.x, y: p.y, faction: 'players', speed: 5, maxHp: 100 } } });
}

/** The nearest hostile monster's distance minus its perception (> SAFE_MARGIN: it does not notice the point). */
function spare(sim: Simulation, x: number, y: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const a of sim.world.actors.values()) {
    if (a.kind !== 'monster' || !a.body?.alive) continue;
    const perception = (a.params as { perception: number }).perception;
    best = Math.min(best, Math.hypot(a.body.x - x, a.body.y - y) - perception);
  }
  return best;
}

describe('safe spawn points', () => {
  it.each(['test-world', 'lairmind', 'meadow-7', 'crags', 'seed-42'].flatMap((seed) => [[seed, 'spread'], [seed, 'gather']] as const))('no join or respawn point is within a hostile monster\'s perception plus the margin (seed %s, joins %s)', (seed, layout) => {
    const { gen, sim, spawns } = roomWorld(seed, 192, 1.5, layout);
    const monsters = [...sim.world.actors.values()].filter((a) => a.kind === 'monster').length;
    expect(monsters).toBeGreaterThan(20);
    const points = [...Array.from({ length: 8 }, () => spawns.forJoin()), ...spawns.choices(3)];
    for (const p of points) {
      expect(gen.isWalkable(Math.floor(p.x), Math.floor(p.y)), `${p.name} walkable`).toBe(true);
      expect(spare(sim, p.x, p.y), `${p.name} at ${p.x}, ${p.y}`).toBeGreaterThan(SAFE_MARGIN);
      expect(p.name).toMatch(/^[A-Z][a-z-]+ [a-z]+( \d)?$/);
    }
    // Deterministic: the same seed gives the same points.
    const again = roomWorld(seed, 192, 1.5, layout).spawns;
    expect(Array.from({ length: 8 }, () => again.forJoin())).toEqual(points.slice(0, 8));
  });

  it.each(['test-world', 'lairmind', 'meadow-7', 'crags', 'seed-42'])('joins that gather land apart but within sight of each other (seed %s)', (seed) => {
    const { spawns } = roomWorld(seed, 192, 1.5, 'gather');
    const points = Array.from({ length: 6 }, () => spawns.forJoin());
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        const d = Math.hypot(points[i]!.x - points[j]!.x, points[i]!.y - points[j]!.y);
        expect(d, `join ${i} and ${j}`).toBeGreaterThanOrEqual(1);
        expect(d, `join ${i} and ${j}`).toBeLessThan(24); // the client's view radius
      }
    }
  });

  it('offers up to three choices far apart, with distinct ids, the first being the default', () => {
    const { spawns } = roomWorld('test-world');
    const choices = spawns.choices(3);
    expect(choices.length).toBe(3);
    expect(new Set(choices.map((c) => c.id)).size).toBe(3);
    for (let i = 0; i < choices.length; i++) {
      for (let j = i + 1; j < choices.length; j++) expect(Math.hypot(choices[i]!.x - choices[j]!.x, choices[i]!.y - choices[j]!.y)).toBeGreaterThanOrEqual(14);
    }
  });

  it('a point next to a monster is not safe; one far from all is', () => {
    const { sim, spawns } = roomWorld('lairmind', 256, 1); // the default seed
    const m = [...sim.world.actors.values()].find((a) => a.kind === 'monster' && a.body?.alive)!.body!;
    expect(spawns.isSafe(m.x + 1, m.y)).toBe(false);
    const p = spawns.forJoin();
    expect(spawns.isSafe(p.x, p.y)).toBe(true);
    // Where every player used to spawn, a pack sees you: the first join goes elsewhere.
    expect(spawns.isSafe(2.5, 0.5)).toBe(false);
    expect(Math.hypot(p.x - 2.5, p.y - 0.5)).toBeGreaterThan(1);
  });

  it.each(['test-world', 'lairmind', 'crags'])('joins that spread cover the whole world, the least crowded site first, every point safe (seed %s)', (seed) => {
    const size = 256;
    const { gen, sim, spawns } = roomWorld(seed, size, 1);
    const sites = spawns.spreadSites();
    expect(sites.length).toBe(16); // one per 64 × 64 units
    const points: SpawnPoint[] = [];
    for (let i = 0; i < 64; i++) {
      const p = spawns.forJoin();
      expect(spare(sim, p.x, p.y), `join ${i} at ${p.x}, ${p.y}`).toBeGreaterThan(SAFE_MARGIN);
      expect(gen.isWalkable(Math.floor(p.x), Math.floor(p.y))).toBe(true);
      points.push(p);
      avatarAt(sim, p);
      if (i % 4 === 3) sim.step(); // avatars arrive as joins go on
    }
    // Every quadrant of the world gets a fair share.
    const quadrants = [0, 0, 0, 0];
    for (const p of points) quadrants[(p.x < 0 ? 0 : 1) + (p.y < 0 ? 0 : 2)]!++;
    for (const q of quadrants) expect(q, `quadrants ${quadrants.join(', ')}`).toBeGreaterThanOrEqual(8);
    // The first joins go to different sites, far apart: nobody crowds the centre.
    const first = points.slice(0, 8);
    for (let i = 0; i < first.length; i++) {
      for (let j = i + 1; j < first.length; j++) expect(Math.hypot(first[i]!.x - first[j]!.x, first[i]!.y - first[j]!.y), `joins ${i} and ${j}`).toBeGreaterThan(size / 8);
    }
    expect(points.filter((p) => Math.hypot(p.x, p.y) < 24).length).toBeLessThanOrEqual(64 / 8);
    // No two players on one spot.
    for (let i = 0; i < points.length; i++) for (let j = i + 1; j < points.length; j++) expect(Math.hypot(points[i]!.x - points[j]!.x, points[i]!.y - points[j]!.y)).toBeGreaterThanOrEqual(1);
  });

  it('spread sites are the same for a seed and differ between seeds', () => {
    const a = roomWorld('test-world', 256, 1).spawns.spreadSites();
    expect(roomWorld('test-world', 256, 1).spawns.spreadSites()).toEqual(a);
    expect(roomWorld('crags', 256, 1).spawns.spreadSites()).not.toEqual(a);
  });

  it('a spread join avoids a site a pack is watching', () => {
    const { sim, spawns } = roomWorld('test-world', 256, 0);
    const site = spawns.spreadSites()[0]!;
    sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 10, wanderSpeed: 0 }, body: { x: site.x, y: site.y, faction: 'wild' } } });
    sim.step();
    const p = spawns.forJoin();
    expect(spare(sim, p.x, p.y)).toBeGreaterThan(SAFE_MARGIN);
    expect(Math.hypot(p.x - site.x, p.y - site.y)).toBeGreaterThan(10 + SAFE_MARGIN);
  });
});

describe('farthest-point sampling', () => {
  const grid = Array.from({ length: 100 }, (_, i) => ({ x: i % 10, y: Math.floor(i / 10) }));

  it('picks points far apart, the same for a seed', () => {
    const picks = farthestPoints(grid, 4, 's');
    expect(picks).toHaveLength(4);
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(Math.hypot(picks[i]!.x - picks[j]!.x, picks[i]!.y - picks[j]!.y)).toBeGreaterThanOrEqual(5);
    expect(farthestPoints(grid, 4, 's')).toEqual(picks);
    expect(farthestPoints(grid, 500, 's')).toHaveLength(100); // no more than there are
    expect(farthestPoints([], 3, 's')).toEqual([]);
    expect(() => farthestPoints(grid, -1, 's')).toThrow(/count must be a whole number >= 0, got -1/);
  });
});
