import { describe, expect, it } from 'vitest';
import { battlePayers, MAX_PAYERS } from '../../../actors/index.ts';
import type { Body, MindRequest, PlanRequest, WorldInput } from '../../../actors/index.ts';
import { battle, hero, wolf } from './helpers.ts';

/** A player avatar as the room spawns it: tagged with its account and tier. */
function avatar(x: number, y: number, name: string, account: string, tier: string): WorldInput {
  const h = hero(x, y, name) as Extract<WorldInput, { type: 'spawn' }>;
  return { ...h, spec: { ...h.spec, tags: { name, account, tier } } };
}

function planAsks(sim: ReturnType<typeof battle>, steps: number): PlanRequest[] {
  const out: MindRequest[] = [];
  sim.run(steps, (r) => out.push(...r.requests.filter((q) => q.port === 'plan')));
  return out.map((q) => q.payload as PlanRequest);
}

describe('who may pay for a battle plan', () => {
  it('the plan request names the identified players in the fight, nearest the pack first, guests included', () => {
    // Wolves around (11, 10); Bea (premium) 5 tiles off, a guest 7 tiles off, Ann (whale) 9 tiles off; a scenario
    // hero with no account; Zed (premium) far away, out of the fight.
    const sim = battle([
      wolf(10, 10), wolf(12, 10), wolf(11, 12),
      avatar(10, 19, 'Ann', 'ann-1', 'whale'), avatar(12, 15, 'Bea', 'bea-2', 'premium'), avatar(14, 16, 'g', 'guest:s1', 'free'),
      hero(8, 16, 'Npc'), avatar(60, 60, 'Zed', 'zed-3', 'premium'),
    ], { askCloud: true });
    const [ask] = planAsks(sim, 1);
    expect(ask).toBeDefined();
    expect(ask!.context.players.map((p) => p.name)).toEqual(['Ann', 'Bea', 'g', 'Npc']);
    expect(ask!.payers).toEqual([
      { account: 'bea-2', tier: 'premium' },
      { account: 'guest:s1', tier: 'free' },
      { account: 'ann-1', tier: 'whale' },
    ]);
    expect(ask!.tier).toBe('free'); // the room's own tier travels alongside
  });

  it('a battle with no identified player asks without payers', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), hero(10, 17, 'Ann')], { askCloud: true });
    const [ask] = planAsks(sim, 1);
    expect(ask).toBeDefined();
    expect(ask!.payers).toBeUndefined();
  });

  it('orders by distance to the nearest member, ties by actor id, and names at most MAX_PAYERS', () => {
    const body = (id: number, x: number, y: number): Body => ({ id, x, y, vx: 0, vy: 0, heading: 0, radius: 0.4, speed: 3, hp: 10, maxHp: 10, alive: true, faction: 'players', homeX: 0, homeY: 0, changedAt: 0 });
    const members = [body(1, 0, 0), body(2, 20, 0)];
    const players = [
      { body: body(10, 5, 0), tags: { account: 'a', tier: 'free' } },
      { body: body(11, 18, 0), tags: { account: 'b', tier: 'premium' } }, // 2 from member 2
      { body: body(9, 0, 5), tags: { account: 'c', tier: 'whale' } }, // as near as 'a', lower id
      { body: body(12, 1, 0), tags: { account: 7, tier: 'free' } }, // not an account: skipped
    ];
    expect(battlePayers(players, members).map((p) => p.account)).toEqual(['b', 'c', 'a']);
    const crowd = Array.from({ length: MAX_PAYERS + 5 }, (_, i) => ({ body: body(100 + i, 0, -(i + 1)), tags: { account: `p${i}`, tier: 'free' } }));
    const named = battlePayers(crowd, members);
    expect(named).toHaveLength(MAX_PAYERS);
    expect(named.map((p) => p.account)).toEqual(crowd.slice(0, MAX_PAYERS).map((p) => p.tags.account));
  });
});
