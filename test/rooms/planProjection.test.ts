import { describe, expect, it } from 'vitest';
import { MetaState, Projection, WorldState } from '../../rooms/index.ts';
import { battle, hero, wolf } from '../actors/coordinator/helpers.ts';

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
