import { describe, expect, it } from 'vitest';
import { createWorld, defaultRegistry, FlatTerrain, packSpawns, Simulation, spawnActor, step } from '../../actors/index.ts';
import type { MonsterState } from '../../actors/index.ts';
import { createWorldGen } from '../../procgen/index.ts';
import { registry } from './helpers.ts';

describe('a world on procedural terrain', () => {
  it('spawns monsters from the generated bases and keeps every body on walkable ground', () => {
    const gen = createWorldGen({ seed: 7 });
    const packs = gen.spawnsInRegion(0, 0, 256, 256);
    const inputs = packSpawns(packs);
    expect(inputs.length).toBeGreaterThan(20);
    const sim = new Simulation({ seed: 7, registry: defaultRegistry(), terrain: gen, record: false });
    for (const i of inputs) sim.input(i);
    sim.run(400);
    const bodies = [...sim.world.actors.values()].map((a) => a.body!);
    expect(bodies).toHaveLength(inputs.length);
    for (const b of bodies) expect(gen.isWalkable(Math.floor(b.x), Math.floor(b.y)), `body ${b.id} at ${b.x},${b.y}`).toBe(true);
    // Stats and names came from the bases.
    const first = sim.world.actors.get(1)!;
    const base = packs[0]!.members[0]!;
    expect(first.body!.maxHp).toBe(base.stats.hp);
    expect(first.tags).toMatchObject({ species: base.species, name: base.name, pack: packs[0]!.id });
    // Some monsters moved.
    expect(bodies.filter((b) => b.x !== b.homeX || b.y !== b.homeY).length).toBeGreaterThan(inputs.length / 2);
  });

  it('slows bodies on costly ground', () => {
    const slow = { tileSize: 1, isWalkable: () => true, moveCost: () => 2 };
    const fast = { tileSize: 1, isWalkable: () => true, moveCost: () => 1 };
    const run = (terrain: typeof slow): number => {
      const sim = new Simulation({ seed: 1, registry: defaultRegistry(), terrain, record: false });
      sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', body: { x: 0.5, y: 0.5, speed: 4 } } });
      sim.step();
      sim.input({ type: 'send', to: 1, message: { type: 'command', move: { x: 1, y: 0 } } });
      sim.run(20); // the command arrives on the first of these: 20 steps × 0.05 s = 1 s of movement
      return sim.world.actors.get(1)!.body!.x - 0.5;
    };
    expect(run(fast)).toBeCloseTo(4, 5);
    expect(run(slow)).toBeCloseTo(2, 5);
  });

  it('a chaser blocked by a wall finds a path around it and reaches its target', () => {
    // A wall from (20, 5) to (20, 34) between the hunter and its prey, open at both ends.
    const wall: [number, number][] = [];
    for (let y = 5; y < 35; y++) wall.push([20, y]);
    const walled = createWorld({ seed: 'walled', registry: registry(), terrain: new FlatTerrain(60, 60, wall) });
    const hunter = spawnActor(walled, { kind: 'm', behaviour: 'monster', params: { perception: 12, leash: 4 }, body: { x: 17.5, y: 20.5, faction: 'a', speed: 4 } });
    const prey = spawnActor(walled, { kind: 'm', behaviour: 'monster', params: { perception: 1, wanderSpeed: 0, fleeBelow: 0, damage: 0 }, body: { x: 23.5, y: 20.5, faction: 'b', maxHp: 10_000 } });
    if (!hunter.ok || !prey.ok) throw new Error('spawn failed');
    let askedPath = false;
    for (let i = 0; i < 400; i++) {
      step(walled);
      if ((walled.actors.get(hunter.id)!.state as MonsterState).path) askedPath = true;
    }
    expect(askedPath).toBe(true);
    expect(walled.actors.get(prey.id)!.body!.hp).toBeLessThan(10_000);
  });
});

