import { describe, expect, it } from 'vitest';
import { defaultRegistry, packSpawns, Simulation } from '../../actors/index.ts';
import { roomWorldGen, SAFE_MARGIN, SafeSpawns } from '../../rooms/index.ts';

/** A room's world as WorldRoom.onCreate builds it (packs of monsters spawned), without Colyseus. */
function roomWorld(seed: string, worldSize = 192, monsterDensity = 1.5) {
  const gen = roomWorldGen({ seed, worldSize, monsterDensity });
  const sim = new Simulation({ seed, registry: defaultRegistry(), terrain: gen, dt: 1 / 20 });
  const half = Math.floor(worldSize / 2);
  for (const input of packSpawns(gen.spawnsInRegion(-half, -half, worldSize, worldSize))) sim.input(input);
  sim.step();
  return { gen, sim, spawns: new SafeSpawns(sim.world, gen, worldSize) };
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
  it.each(['test-world', 'lairmind', 'meadow-7', 'crags', 'seed-42'])('no join or respawn point is within a hostile monster\'s perception plus the margin (seed %s)', (seed) => {
    const { gen, sim, spawns } = roomWorld(seed);
    const monsters = [...sim.world.actors.values()].filter((a) => a.kind === 'monster').length;
    expect(monsters).toBeGreaterThan(20);
    const points = [...Array.from({ length: 8 }, () => spawns.forJoin()), ...spawns.choices(3)];
    for (const p of points) {
      expect(gen.isWalkable(Math.floor(p.x), Math.floor(p.y)), `${p.name} walkable`).toBe(true);
      expect(spare(sim, p.x, p.y), `${p.name} at ${p.x}, ${p.y}`).toBeGreaterThan(SAFE_MARGIN);
      expect(p.name).toMatch(/^[A-Z][a-z-]+ [a-z]+( \d)?$/);
    }
    // Deterministic: the same seed gives the same points.
    const again = roomWorld(seed).spawns;
    expect(Array.from({ length: 8 }, () => again.forJoin())).toEqual(points.slice(0, 8));
  });

  it.each(['test-world', 'lairmind', 'meadow-7', 'crags', 'seed-42'])('players who join one after the other land apart but within sight of each other (seed %s)', (seed) => {
    const { spawns } = roomWorld(seed);
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
});
