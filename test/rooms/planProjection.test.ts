import { describe, expect, it } from 'vitest';
import { Interest, MetaState, PlayerState, Projection, WorldState } from '../../rooms/index.ts';
import type { StepReport } from '../../actors/index.ts';
import { battle, hero, wolf } from '../actors/coordinator/helpers.ts';
import { packs, Wire } from './wire.ts';

describe('plans in the room state', () => {
  it('projects each engaged pack\'s current plan with its source, and removes it when the pack disengages', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 17, 'Ann')]);
    const state = new WorldState({ meta: new MetaState({}) });
    const projection = new Projection(sim.world, state);
    sim.run(3, (r) => projection.apply(r));
    const plan = state.plans.get('p1')!;
    expect(plan).toBeDefined();
    expect(plan.toJSON()).toMatchObject({ pack: 'p1', leader: 1, source: 'tactician', model: 'tactician', cached: false });
    expect(plan.assignments.map((a) => a.member)).toEqual([1, 2, 3]);
    expect(plan.expiresTick).toBeGreaterThan(sim.world.tick);
    sim.input({ type: 'send', to: 4, message: { type: 'command', goto: { x: 60, y: 60 } } });
    sim.run(300, (r) => projection.apply(r));
    expect(state.plans.size).toBe(0);
  });
});

describe('plans follow the view', () => {
  /** A pack engaging Ann, and Bob 60 tiles away; a client for each, through a wire. */
  function setup() {
    // Ann is tough: the pack keeps fighting her, and replans every 6 s (120 ticks).
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 17, 'Ann', 5000, 5000), hero(60, 60, 'Bob')]);
    const state = new WorldState({ meta: new MetaState({}) });
    const projection = new Projection(sim.world, state);
    const interest = new Interest(sim.world, projection, { radius: 20, exitRadius: 25, refreshEvery: 5 });
    const onStep = (r: StepReport) => {
      interest.forget(r.removed);
      projection.apply(r);
      interest.refresh(sim.world.tick);
    };
    sim.run(1, onStep);
    const wire = new Wire(state);
    const players = [new PlayerState({ name: 'Ann', actor: 4 }), new PlayerState({ name: 'Bob', actor: 5 })];
    players.forEach((p, i) => state.players.set(String(i), p));
    const ann = wire.join(interest.open('ann', 4, players[0]));
    const bob = wire.join(interest.open('bob', 5, players[1]));
    const run = (n: number) => {
      sim.run(n, onStep);
      wire.patch();
    };
    const place = (id: number, x: number, y: number) => {
      const b = sim.world.actors.get(id)!.body!;
      b.x = x;
      b.y = y;
    };
    return { sim, state, interest, wire, ann, bob, run, place };
  }

  it('a plan reaches the clients that see a member of its pack, follows their views, and leaves with the pack', () => {
    const { sim, state, interest, ann, bob, run, place } = setup();
    run(3);
    expect(state.plans.has('p1')).toBe(true);
    expect(interest.visiblePlans('ann')).toEqual(['p1']);
    expect(interest.visiblePlans('bob')).toEqual([]);
    expect(packs(ann)).toEqual(['p1']);
    expect(packs(bob)).toEqual([]);
    expect([...ann.state.plans.get('p1')!.assignments].map((a) => a.member)).toEqual([1, 2, 3]);

    // Bob comes near: the plan enters his view with the pack (whole, assignments included).
    place(5, 14, 20);
    run(5);
    expect(packs(bob)).toEqual(['p1']);
    expect(bob.state.plans.get('p1')!.toJSON()).toEqual(state.plans.get('p1')!.toJSON());

    // A newer plan of the same pack reaches both as a patch of what changed.
    const first = state.plans.get('p1')!;
    const seq = first.seq;
    run(130);
    expect(state.plans.get('p1')).toBe(first); // rewritten in place, not replaced
    expect(first.seq).toBeGreaterThan(seq);
    expect(ann.state.plans.get('p1')!.seq).toBe(first.seq);
    expect(bob.state.plans.get('p1')!.toJSON()).toEqual(first.toJSON());

    // Bob walks off: the plan leaves his view; Ann keeps it, the pack is still on her.
    place(5, 60, 60);
    run(5);
    expect(packs(bob)).toEqual([]);
    expect(packs(ann)).toEqual(['p1']);

    // Ann gets away from the pack: it disengages and its plan leaves the state and her client.
    place(4, 60, 5);
    run(300);
    expect(state.plans.size).toBe(0);
    expect(packs(ann)).toEqual([]);
    expect(ann.errors.concat(bob.errors)).toEqual([]);
  });
});
