import { describe, expect, it } from 'vitest';
import { FlatTerrain, validatePlan } from '../../../actors/index.ts';
import type { Assignment, Plan } from '../../../actors/index.ts';
import { planWorld } from './helpers.ts';

// Leader 1 at (10, 10); members 2, 3; players 7 at (10, 16) and 8 at (30, 10). A wall column at x = 14, y 0..20
// and a walled-in cell at (40..42, 40..42) around (41, 41).
const walls: [number, number][] = [];
for (let y = 0; y <= 20; y++) walls.push([14, y]);
for (let x = 40; x <= 42; x++) for (let y = 40; y <= 42; y++) if (x !== 41 || y !== 41) walls.push([x, y]);
const terrain = new FlatTerrain(64, 64, walls);
const world = planWorld(terrain, [{ id: 1, x: 10, y: 10 }, { id: 2, x: 11, y: 10 }, { id: 3, x: 10, y: 11 }], [{ id: 7, x: 10, y: 16 }, { id: 8, x: 30, y: 10 }]);

const plan = (assignments: Partial<Assignment>[], over: Partial<Plan> = {}): Plan => ({
  formation: 'line',
  assignments: assignments.map((a) => ({ member: 1, role: 'engage', target: 7, x: null, y: null, ...a }) as Assignment),
  retreatBelow: 0.2,
  battleCry: 'Charge!',
  ttl: 6,
  ...over,
});
const all = (a: Partial<Assignment>[]): Partial<Assignment>[] => [...a, { member: 2 }, { member: 3 }].filter((x, i, xs) => xs.findIndex((y) => y.member === x.member) === i);

describe('plan validation and repair', () => {
  it('accepts a good plan unchanged', () => {
    const r = validatePlan(plan(all([{ member: 1 }])), world);
    expect(r).toEqual({ ok: true, plan: plan(all([{ member: 1 }])), repairs: [] });
  });

  it('refuses a plan that does not match the schema, naming the field', () => {
    const r = validatePlan({ ...plan([{}]), ttl: 'soon' }, world);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^invalid plan: ttl: /);
    const r2 = validatePlan({ ...plan([{}]), assignments: [{ member: 1, role: 'dance', target: 7, x: null, y: null }] }, world);
    expect(!r2.ok && r2.reason).toMatch(/assignments\[0\]\.role: Invalid option/);
  });

  it('drops dead or absent members and a member assigned twice', () => {
    const r = validatePlan(plan([{ member: 1 }, { member: 99 }, { member: 1, role: 'bait' }, { member: 2 }, { member: 3 }]), world);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.assignments.map((a) => [a.member, a.role])).toEqual([[1, 'engage'], [2, 'engage'], [3, 'engage']]);
    expect(r.repairs).toEqual([
      { member: 99, action: 'dropped', reason: 'member 99 is dead or not in the pack' },
      { member: 1, action: 'dropped', reason: 'member 1 is assigned twice; the first assignment stands' },
    ]);
  });

  it('retargets a target out of sight to the nearest player, and clears a stray target on a point role', () => {
    const r = validatePlan(plan(all([{ member: 1, target: 42 }, { member: 2, target: null }, { member: 3, role: 'regroup', target: 42, x: 0, y: 0 }])), world);
    expect(r.ok && r.plan.assignments.map((a) => a.target)).toEqual([7, 7, null]);
    expect(r.repairs.map((x) => x.reason)).toEqual([
      'target 42 is not in sight; nearest player 7 instead',
      'engage had no target; nearest player 7 instead',
      'target 42 is not in sight; dropped the target',
    ]);
  });

  it('moves an unwalkable point to the nearest walkable tile; drops a point too far or unreachable', () => {
    // (14, 10) is the wall: offset (4, 0) from the leader.
    const r = validatePlan(plan(all([{ member: 1, role: 'regroup', target: null, x: 4.5, y: 0.5 }, { member: 2, role: 'retreat', target: null, x: 50, y: 0 }, { member: 3, role: 'retreat', target: null, x: 20.5, y: 20.5 }])), world);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a1, a2, a3] = r.plan.assignments as [Assignment, Assignment, Assignment];
    expect(terrain.isWalkable(Math.floor(10 + a1.x!), Math.floor(10 + a1.y!))).toBe(true);
    expect(Math.abs(10 + a1.x! - 14.5)).toBeLessThanOrEqual(1.01);
    expect(r.repairs[0]!.reason).toMatch(/^point \(4\.5, 0\.5\) is not walkable; moved to the nearest walkable tile/);
    expect(r.repairs[1]!.reason).toMatch(/^point \(50, 0\) is 50 units from the pack, beyond 32: unreachable, dropped/);
    expect(r.repairs.filter((x) => x.reason === 'retreat has no usable point; away from the players instead')).toHaveLength(1);
    expect(a2.x).not.toBeNull();
    expect(a2.y! < 0).toBe(true); // the players are on the +y / +x side: away is up and left
    expect(a3).toMatchObject({ x: 20.5, y: 20.5 });
    // A small field with a walled-in cell at (16, 16): a point there cannot be reached.
    const cell: [number, number][] = [];
    for (let x = 15; x <= 17; x++) for (let y = 15; y <= 17; y++) if (x !== 16 || y !== 16) cell.push([x, y]);
    const small = planWorld(new FlatTerrain(20, 20, cell), [{ id: 1, x: 4, y: 4 }], [{ id: 7, x: 4, y: 8 }]);
    const u = validatePlan(plan([{ member: 1, role: 'retreat', target: null, x: 12.5, y: 12.5 }]), small);
    expect(u.repairs.map((x) => x.reason)).toEqual(['point (12.5, 12.5) cannot be reached from member 1: dropped', 'retreat has no usable point; away from the players instead']);
  });

  it('a point needs both coordinates', () => {
    const r = validatePlan(plan(all([{ member: 1, x: 2, y: null }])), world);
    expect(r.ok && r.plan.assignments[0]).toMatchObject({ x: null, y: null });
    expect(r.repairs[0]!.reason).toBe('a point needs both x and y; dropped the point');
  });

  it('resolves contradictions: the leader guarding itself, a lone bait, a lone surround, split focus', () => {
    const r = validatePlan(plan([{ member: 1, role: 'guardLeader', target: null }, { member: 2, role: 'bait' }, { member: 3, role: 'surround', target: 8 }]), world);
    expect(r.ok && r.plan.assignments.map((a) => [a.member, a.role, a.target])).toEqual([[1, 'engage', 7], [2, 'bait', 7], [3, 'engage', 8]]);
    expect(r.repairs.map((x) => x.reason)).toEqual(['the leader cannot guard itself; it engages instead', 'one member cannot surround; it engages instead']);
    const lone = validatePlan(plan([{ member: 2, role: 'bait' }, { member: 3, role: 'guardLeader', target: null }, { member: 1, role: 'engage', target: 8 }]), world);
    expect(lone.repairs.map((x) => x.reason)).toContain('a bait needs others to spring the trap; it engages instead');
    const focus = validatePlan(plan([{ member: 1, role: 'focus', target: 7 }, { member: 2, role: 'focus', target: 8 }, { member: 3, role: 'focus', target: 7 }]), world);
    expect(focus.ok && focus.plan.assignments.map((a) => a.target)).toEqual([7, 7, 7]);
    expect(focus.repairs.map((x) => x.reason)).toEqual(['focus means one target: 7 (as member 1), not 8']);
  });

  it('gives forgotten members an engage order, and cleans the battle cry', () => {
    const r = validatePlan(plan([{ member: 1 }], { battleCry: 'Eat\u0000them\n  now' }), world);
    expect(r.ok && r.plan.assignments.map((a) => [a.member, a.role])).toEqual([[1, 'engage'], [2, 'engage'], [3, 'engage']]);
    expect(r.ok && r.plan.battleCry).toBe('Eat them now');
    expect(r.repairs.map((x) => x.action)).toEqual(['added', 'added', 'repaired']);
  });

  it('refuses a plan with nothing usable left (the caller falls back to the tactician)', () => {
    const r = validatePlan(plan([{ member: 50 }, { member: 51 }]), world);
    expect(r).toMatchObject({ ok: false, reason: 'nothing usable left in the plan' });
    expect(r.repairs).toHaveLength(2);
    const noPlayers = { ...world, players: new Map() };
    expect(validatePlan(plan([{ member: 1 }]), noPlayers)).toMatchObject({ ok: false, reason: 'nothing usable left in the plan' });
  });
});
