import { describe, expect, it } from 'vitest';
import { coordinatorSpawn, FlatTerrain, NO_ACTOR, packPlans, Simulation } from '../../../actors/index.ts';
import type { StepReport, WorldInput } from '../../../actors/index.ts';
import { battle, body, coordinatorOf, hero, monster, registry, wolf } from './helpers.ts';

/** The coordinator without tactics; `askCloud` on, to show that even then it never asks the `plan` port. */
const noTactics = { tactics: false, askCloud: true } as const;
/** The wolves' perception in `wolf()`: beyond it a wolf does not see a player for itself. */
const PERCEPTION = 8;

type Sim = ReturnType<typeof battle>;

/**
 * Run `n` steps, checking after each that the coordinator gave no orders: no member holds one, no plan was made,
 * none is in force, and no `plan` ask left the simulation. `each` runs after every step.
 */
function runWithoutOrders(sim: Sim, n: number, each: (sim: Sim) => void = () => {}): void {
  const wolves = [...sim.world.actors.values()].filter((a) => a.kind === 'monster').map((a) => a.id);
  sim.run(n, (r: StepReport) => {
    expect(r.requests.filter((q) => q.port === 'plan')).toEqual([]);
    for (const id of wolves) expect(monster(sim.world, id).order, `order of wolf ${id} at tick ${sim.world.tick}`).toBeNull();
    const c = coordinatorOf(sim.world);
    expect(c.state.stats).toMatchObject({ tacticianPlans: 0, cloudAsked: 0 });
    expect(packPlans(sim.world.actors.get(c.id)!.state)).toEqual([]);
    each(sim);
  });
}

const distance = (sim: Sim, a: number, b: number): number => {
  const p = body(sim.world, a), q = body(sim.world, b);
  return Math.hypot(p.x - q.x, p.y - q.y);
};

describe('packs without a tactician (coordinator tactics: false)', () => {
  it('an engaged pack gets its roster and leader, and its record, but no plan or order', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 17, 'Ann')], noTactics);
    runWithoutOrders(sim, 40);
    expect(monster(sim.world, 1).pack).toEqual({ pack: 'p1', leader: 1, mates: [2, 3], coordinator: 5 });
    expect(monster(sim.world, 2).pack).toEqual({ pack: 'p1', leader: 1, mates: [1, 3], coordinator: 5 });
    expect(monster(sim.world, 3).pack).toEqual({ pack: 'p1', leader: 1, mates: [1, 2], coordinator: 5 });
    const c = coordinatorOf(sim.world).state;
    expect(c.stats.engagements).toBe(1);
    expect(c.packs.p1).toMatchObject({ members: [1, 2, 3], leader: 1, players: [4], plan: null, pending: null });

    // The same battle with tactics: orders and plans (what the checks above would catch).
    const planned = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 17, 'Ann')]);
    planned.run(40);
    expect(coordinatorOf(planned.world).state.stats.tacticianPlans).toBeGreaterThan(0);
    expect(monster(planned.world, 1).order).not.toBeNull();
  });

  it('a hit member calls its mates for help: they take on the attacker they cannot see', () => {
    // Ann stands at the first wolf; its mates are out of sight of her (8) but within their leash (12).
    const spawns = (): WorldInput[] => [wolf(10, 10), wolf(10, 21), wolf(12, 21), hero(10, 11, 'Ann', 5000, 5000)];
    const sim = battle(spawns(), noTactics);
    runWithoutOrders(sim, 5);
    expect(monster(sim.world, 2).pack?.mates).toEqual([1, 3]);
    for (const id of [2, 3]) {
      expect(monster(sim.world, id).target).toBe(NO_ACTOR);
      expect(distance(sim, id, 4)).toBeGreaterThan(PERCEPTION);
    }
    sim.input({ type: 'send', to: 4, message: { type: 'command', attack: 1 } });
    // The blow lands, the wolf hears of it, its mates hear its call: one step each.
    runWithoutOrders(sim, 3);
    expect(body(sim.world, 1).hp).toBeLessThan(40);
    for (const id of [2, 3]) {
      expect(monster(sim.world, id).target, `wolf ${id}`).toBe(4);
      expect(distance(sim, id, 4)).toBeGreaterThan(PERCEPTION);
    }
    // They come to help.
    const before = distance(sim, 2, 4);
    runWithoutOrders(sim, 20);
    expect(distance(sim, 2, 4)).toBeLessThan(before - 1);

    // Without a coordinator there is no roster: the same hit calls nobody.
    const alone = new Simulation({ seed: 'battle', registry: registry(), terrain: new FlatTerrain(64, 64) });
    for (const s of spawns()) alone.input(s);
    alone.run(5);
    alone.input({ type: 'send', to: 4, message: { type: 'command', attack: 1 } });
    alone.run(3);
    expect(alone.world.actors.get(1)!.body!.hp).toBeLessThan(40);
    expect(monster(alone.world, 1).pack).toBeNull();
    for (const id of [2, 3]) expect(monster(alone.world, id).target, `wolf ${id} alone`).toBe(NO_ACTOR);
  });

  it('a member that sees a new target reports it to its leader, who takes it on from out of sight', () => {
    // Ann is within engage range (12) of the second wolf but out of its sight (8); the leader is far behind.
    const sim = battle([wolf(10, 10), wolf(10, 24), hero(10, 34, 'Ann', 5000, 5000)], { ...noTactics, engageRange: 12 });
    runWithoutOrders(sim, 5);
    expect(monster(sim.world, 2).pack).toMatchObject({ leader: 1, mates: [1] });
    expect(monster(sim.world, 1).target).toBe(NO_ACTOR);
    expect(monster(sim.world, 2).target).toBe(NO_ACTOR);
    // Ann steps into the second wolf's sight.
    sim.input({ type: 'send', to: 3, message: { type: 'command', goto: { x: 10, y: 29 } } });
    let leaderTookItAt = -1;
    runWithoutOrders(sim, 30, (s) => {
      if (leaderTookItAt < 0 && monster(s.world, 1).target === 3) {
        leaderTookItAt = s.world.tick;
        expect(monster(s.world, 2).target).toBe(3);
        expect(distance(s, 1, 3), 'the leader could not have seen Ann itself').toBeGreaterThan(PERCEPTION);
      }
    });
    expect(leaderTookItAt).toBeGreaterThan(0);
  });

  it('a fallen leader is replaced by the next member, in the roster and in the coordinator\'s record', () => {
    // One blow of Ann's (15) fells the leader; with 15 of 40 hp it does not flee first.
    const sim = battle([wolf(10, 10, 'p1', 15), wolf(14, 10), wolf(12, 13), hero(10, 10.9, 'Ann', 5000, 5000)], noTactics);
    runWithoutOrders(sim, 5);
    expect(monster(sim.world, 2).pack?.leader).toBe(1);
    sim.input({ type: 'send', to: 4, message: { type: 'command', attack: 1 } });
    runWithoutOrders(sim, 2);
    expect(body(sim.world, 1).alive).toBe(false);
    runWithoutOrders(sim, 10); // one scan period: the coordinator looks after the pack
    for (const id of [2, 3]) expect(monster(sim.world, id).pack, `wolf ${id}`).toMatchObject({ pack: 'p1', leader: 2 });
    const rec = coordinatorOf(sim.world).state.packs.p1!;
    expect(rec).toMatchObject({ leader: 2, alive: 2, plan: null });
    expect(rec.events).toContain('leader 1 fell; 2 leads');
  });

  it('a pack whose players leave is closed', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), hero(10, 17, 'Ann', 5000, 5000)], { ...noTactics, disengageRange: 16 });
    runWithoutOrders(sim, 2);
    expect(Object.keys(coordinatorOf(sim.world).state.packs)).toEqual(['p1']);
    // Ann leaves the world (so the wolves cannot follow her back into range).
    sim.input({ type: 'stop', actor: 3 });
    runWithoutOrders(sim, 20);
    expect(coordinatorOf(sim.world).state.packs).toEqual({});
  });

  it('rejects a tactics setting that is not a boolean, naming it', () => {
    const sim = new Simulation({ seed: 'bad', registry: registry(), terrain: new FlatTerrain(16, 16) });
    sim.input(coordinatorSpawn({ tactics: 'no' as unknown as boolean }));
    sim.step();
    expect(sim.world.problems.at(-1)).toMatchObject({ code: 'invalid-spawn', message: expect.stringMatching(/^spawn input refused: params\.tactics: .*boolean/) });
  });
});
