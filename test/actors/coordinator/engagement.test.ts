import { describe, expect, it } from 'vitest';
import { detectEngagements, leaderOf } from '../../../actors/index.ts';
import { battle, coordinatorOf, hero, monster, wolf } from './helpers.ts';

describe('engagement detection', () => {
  it('a pack is engaged when a member is within range of a player, with the members and players involved', () => {
    // Pack p1 near the hero; pack p2 far away.
    const sim = battle([wolf(10, 10, 'p1'), wolf(12, 10, 'p1'), wolf(50, 50, 'p2'), wolf(52, 50, 'p2'), hero(10, 20)]);
    sim.step();
    const view = {
      players: () => [...sim.world.players].map((id) => sim.world.actors.get(id)!.body!),
      within: (x: number, y: number, r: number) => sim.world.spatial.within(x, y, r),
      tagsOf: (id: number) => sim.world.actors.get(id)?.tags ?? {},
      kindOf: (id: number) => sim.world.actors.get(id)?.kind ?? '',
    };
    expect(detectEngagements(view, 12)).toEqual([{ pack: 'p1', near: [1, 2], players: [5] }]);
    expect(detectEngagements(view, 9)).toEqual([]); // 10 units away: out of a 9-unit range
    expect(detectEngagements(view, 60).map((e) => e.pack)).toEqual(['p1', 'p2']); // ordered by lowest member id
  });

  it('the coordinator opens a record, tells members their roster and leader, and closes it when the players leave', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 20)], { engageRange: 12, disengageRange: 20 });
    sim.run(2);
    const c = coordinatorOf(sim.world);
    expect(Object.keys(c.state.packs)).toEqual(['p1']);
    expect(c.state.packs.p1).toMatchObject({ members: [1, 2, 3], leader: 1, players: [4] });
    expect(c.state.stats.engagements).toBe(1);
    sim.run(2);
    expect(monster(sim.world, 2).pack).toEqual({ pack: 'p1', leader: 1, mates: [1, 3], coordinator: c.id });
    expect(monster(sim.world, 2).order?.role).toBeDefined();
    // The hero runs far away: the pack disengages and orders are withdrawn.
    sim.input({ type: 'send', to: 4, message: { type: 'command', goto: { x: 60, y: 60 } } });
    sim.run(300);
    expect(coordinatorOf(sim.world).state.packs).toEqual({});
    expect(monster(sim.world, 2).order).toBeNull();
  });

  it('the leader is the lowest living member; when it falls the next one leads', () => {
    expect(leaderOf([5, 3, 9], () => true)).toBe(3);
    expect(leaderOf([5, 3, 9], (id) => id !== 3)).toBe(5);
    expect(leaderOf([5, 3], () => false)).toBe(0);
    const sim = battle([wolf(10, 10, 'p1', 1), wolf(12, 10), wolf(11, 12), hero(10, 10.9)]);
    sim.run(1);
    expect(coordinatorOf(sim.world).state.packs.p1!.leader).toBe(1);
    // The hero kills the leader (1 hp) before it can run.
    sim.input({ type: 'send', to: 4, message: { type: 'command', attack: 1 } });
    sim.run(14);
    expect(sim.world.actors.get(1)!.body!.alive).toBe(false);
    expect(coordinatorOf(sim.world).state.packs.p1!.leader).toBe(2);
    expect(monster(sim.world, 3).pack?.leader).toBe(2); // told by the fallen leader (leaderDown) and the coordinator
    expect(coordinatorOf(sim.world).state.packs.p1!.events.some((e) => e.includes('leader 1 fell'))).toBe(true);
  });
});
