import { describe, expect, it } from 'vitest';
import { localTactician, MAX_PACK_SIZE, membersByRole, PlanSchema } from '../../../actors/index.ts';
import type { BattleContext, MemberView, PlayerView } from '../../../actors/index.ts';

const member = (id: number, dx: number, dy: number, over: Partial<MemberView> = {}, traits: Partial<MemberView['traits']> = {}): MemberView => ({
  id, species: 'wolf', hp: 1, maxHp: 40, dx, dy, speed: 3, role: 'none', traits: { aggression: 0.5, courage: 0.5, sociability: 0.5, cunning: 0.5, ...traits }, ...over,
});
const player = (id: number, dx: number, dy: number, hp = 1): PlayerView => ({ id, name: 'p', hp, maxHp: 100, dx, dy });
const ctx = (members: MemberView[], players: PlayerView[], terrain: Partial<BattleContext['terrain']> = {}): BattleContext => ({
  pack: 'p1', time: 0, leader: members[0]!.id, origin: { x: 0, y: 0 }, members, players, events: [],
  terrain: { radius: 8, blocked: 0, chokepoints: [], water: [], cover: [], ...terrain },
});
const pack4 = (traits: Partial<MemberView['traits']> = {}): MemberView[] => [member(1, 0, 0, {}, traits), member(2, 1, 0, {}, traits), member(3, 0, 1, {}, traits), member(4, 1, 1, {}, traits)];

describe('local tactician', () => {
  it('plans for the largest pack a scenario can spawn', () => {
    const members = Array.from({ length: MAX_PACK_SIZE }, (_, i) => member(i + 1, i % 5, Math.floor(i / 5)));
    const plan = localTactician(ctx(members, [player(100, 8, 3), player(101, 9, 4, 0.5)]));
    expect(PlanSchema.safeParse(plan).success).toBe(true);
    expect(plan.assignments).toHaveLength(MAX_PACK_SIZE);
  });

  it('surrounds the weakest player with an ordinary pack; every plan matches the schema', () => {
    const plan = localTactician(ctx(pack4(), [player(10, 4, 0, 1), player(11, 5, 1, 0.3)]));
    expect(PlanSchema.parse(plan)).toEqual(plan);
    expect(plan.formation).toBe('surround');
    expect(membersByRole(plan)).toEqual({ surround: [1, 2, 3, 4] });
    expect(new Set(plan.assignments.map((a) => a.target))).toEqual(new Set([11]));
  });

  it('a cunning pack baits with its sturdiest member and flanks with the most cunning', () => {
    const members = pack4({ cunning: 0.8 });
    members[2] = { ...members[2]!, hp: 0.9, traits: { ...members[2]!.traits, cunning: 0.95 } };
    const plan = localTactician(ctx(members, [player(10, 5, 0)]));
    expect(plan.formation).toBe('pincer');
    const roles = membersByRole(plan);
    expect(roles.bait).toEqual([1]);
    expect([...(roles.flankLeft ?? []), ...(roles.flankRight ?? [])].sort()).toEqual([2, 3]);
    expect(roles.flankLeft).toHaveLength(1);
  });

  it('does not try to surround a target in a chokepoint: a line that focuses it', () => {
    const plan = localTactician(ctx(pack4(), [player(10, 5, 0)], { chokepoints: [{ dx: 5, dy: 0.5 }] }));
    expect(plan.formation).toBe('line');
    expect(membersByRole(plan)).toEqual({ focus: [1, 2, 3, 4] });
  });

  it('baits a target standing in water out toward the pack waiting in cover', () => {
    const plan = localTactician(ctx(pack4(), [player(10, 6, 0)], { water: [{ dx: 6, dy: 0 }], cover: [{ dx: -2, dy: 1 }] }));
    expect(plan.formation).toBe('ambush');
    expect(membersByRole(plan).bait).toHaveLength(1);
    expect(plan.assignments.filter((a) => a.role === 'regroup').every((a) => a.x === -2 && a.y === 1)).toBe(true);
  });

  it('a beaten pack falls back once, to cover away from the players; afterwards it fights it out', () => {
    const beaten = pack4({ courage: 0.2 }).map((m) => ({ ...m, hp: 0.15 }));
    const c = ctx(beaten, [player(10, 5, 0)], { cover: [{ dx: 3, dy: 0 }, { dx: -4, dy: 0 }] });
    const plan = localTactician(c);
    expect(plan.formation).toBe('scatter');
    expect(plan.assignments.every((a) => a.role === 'retreat' && a.x === -4 && a.y === 0)).toBe(true);
    const again = localTactician(c, { retreated: true });
    expect(again.retreatBelow).toBe(0);
    expect(again.assignments.some((a) => a.role === 'retreat')).toBe(false);
  });

  it('a spread pack regroups on its leader while the players are far; frail timid members guard the leader', () => {
    const spread = [member(1, 0, 0), member(2, 9, 0), member(3, 0, -9), member(4, 1, 1)];
    expect(localTactician(ctx(spread, [player(10, -12, 0)])).assignments.every((a) => a.role === 'regroup')).toBe(true);
    const frail = pack4({ courage: 0.3 });
    frail[3] = { ...frail[3]!, hp: 0.2 };
    const plan = localTactician(ctx(frail, [player(10, 3, 0)]));
    expect(membersByRole(plan).guardLeader).toEqual([4]);
  });

  it('is deterministic', () => {
    const c = ctx(pack4({ cunning: 0.7 }), [player(10, 5, 0), player(11, -5, 2, 0.5)]);
    expect(localTactician(c)).toEqual(localTactician(structuredClone(c)));
  });
});
