import { describe, expect, it } from 'vitest';
import { FlatTerrain, PlanSchema, validatePlan } from '../../actors/index.ts';
import type { Plan } from '../../actors/index.ts';
import { planToIds, planToSlots, relabelEvent, sectorOf, tacticsMessages, tacticsSituation } from '../../minds/index.ts';
import { Rng } from '../../shared/index.ts';
import { battleAt, LAYOUT } from './tacticsHelpers.ts';
import type { Battle, Layout, Piece } from './tacticsHelpers.ts';

const A_IDS = { members: [1, 2, 3, 4], players: [5, 6] };
const keyOf = (b: Battle): string => tacticsSituation(b.context).key;
const edit = (layout: Layout, side: 'members' | 'players', i: number, p: Partial<Piece>): Layout => ({ ...layout, [side]: layout[side].map((q, k) => (k === i ? { ...q, ...p } : q)) });

describe('the quantised tactics situation', () => {
  const base = battleAt(40, 40, 12.5, A_IDS);

  it('is the same key wherever and whenever the battle is, whatever the ids, pack tag and player names (fails if time, coordinates or ids were in it)', () => {
    const rng = Rng.create('translations');
    const keys = new Set<string>();
    for (let k = 0; k < 60; k++) {
      const ox = rng.float(20, 230);
      const oy = rng.float(20, 230);
      const time = rng.float(0, 100_000);
      const first = rng.int(10, 100_000);
      const ids = { members: [first, first + 7, first + 3, first + 11], players: [first + 40, first + 2] };
      const b = battleAt(ox, oy, time, ids, LAYOUT, { names: [`n${k}`, 'Ann'], pack: `pack-${k}` });
      expect(b.context.time).not.toBe(base.context.time);
      expect(b.context.origin).not.toEqual(base.context.origin);
      keys.add(keyOf(b));
    }
    expect([...keys]).toEqual([keyOf(base)]);
    // Nothing of the battle's identity is in the key: no id, time, origin, name or pack tag.
    const key = keyOf(battleAt(123.25, 77.5, 4321.75, { members: [9001, 9002, 9003, 9004], players: [9005, 9006] }, LAYOUT, { names: ['Zed', 'Quinn'], pack: 'grey-hollow' }));
    for (const s of ['9001', '9005', '4321', '123', '77.5', 'Zed', 'Quinn', 'grey-hollow']) expect(key).not.toContain(s);
  });

  it('is the same key when positions and health move within their bands', () => {
    const jittered: Layout = {
      members: [{ dx: 0, dy: 0, hp: 38 }, { dx: 1.6, dy: -0.2 }, { dx: -1.4, dy: 0.7 }, { dx: 0.1, dy: 2.4, hp: 31 }],
      players: [{ dx: 9.8, dy: 1.1, hp: 52 }, { dx: 11.5, dy: -3.8, hp: 90 }],
    };
    expect(keyOf(battleAt(90, 15, 3, { members: [70, 71, 72, 73], players: [80, 81] }, jittered))).toBe(keyOf(base));
  });

  it('differs when the situation differs materially', () => {
    const variants: Record<string, Layout> = {
      'a foe on the other side (bearing)': edit(LAYOUT, 'players', 0, { dx: -9, dy: 2 }),
      'a foe in reach (distance band)': edit(LAYOUT, 'players', 1, { dx: 2, dy: -1 }),
      'a foe far off (distance band)': edit(LAYOUT, 'players', 1, { dx: 18, dy: -3 }),
      'a badly hurt foe (health band)': edit(LAYOUT, 'players', 1, { hp: 20 }),
      'a tougher foe (toughness)': edit(LAYOUT, 'players', 1, { maxHp: 400 }),
      'one foe fewer': { ...LAYOUT, players: LAYOUT.players.slice(0, 1) },
      'a badly hurt member (health band)': edit(LAYOUT, 'members', 2, { hp: 8 }),
      'a hurt leader (health band)': edit(LAYOUT, 'members', 0, { hp: 15 }),
      'another species': edit(LAYOUT, 'members', 3, { species: 'boar' }),
      'one member fewer': { ...LAYOUT, members: LAYOUT.members.slice(0, 3) },
      'a member already retreating (role class)': edit(LAYOUT, 'members', 1, { role: 'retreat' }),
      'a spread-out pack (spread band)': edit(LAYOUT, 'members', 3, { dx: -7, dy: 5 }),
    };
    const keys = new Map<string, string>([['base', keyOf(base)]]);
    for (const [what, layout] of Object.entries(variants)) {
      const k = keyOf(battleAt(40, 40, 12.5, A_IDS, layout));
      expect([...keys].find(([, v]) => v === k)?.[0], what).toBeUndefined();
      keys.set(what, k);
    }
  });

  it('differs with the ground: walls, a chokepoint, slow ground under a foe', () => {
    // A wall segment with a one-tile gap south of the fight: a chokepoint in the summary.
    const walls: [number, number][] = [];
    for (let x = 36; x <= 56; x++) if (x !== 46) walls.push([x, 44]);
    const walled = battleAt(40, 40, 12.5, A_IDS, LAYOUT, { terrain: new FlatTerrain(256, 256, walls) });
    expect(walled.context.terrain.chokepoints.length).toBeGreaterThan(0);
    expect(keyOf(walled)).not.toBe(keyOf(base));
    // Slow ground where the first player stands.
    class Marsh extends FlatTerrain {
      override moveCost(tx: number, ty: number): number {
        return tx >= 48 && tx <= 50 && ty >= 41 && ty <= 43 ? 3 : super.moveCost(tx, ty);
      }
    }
    const marsh = battleAt(40, 40, 12.5, A_IDS, LAYOUT, { terrain: new Marsh(256, 256) });
    expect(marsh.context.terrain.water.length).toBeGreaterThan(0);
    expect(keyOf(marsh)).not.toBe(keyOf(base));
    expect(tacticsSituation(marsh.context).key).toMatch(/"player",2,0,2,2,"w"\]/);
  });

  it('documents its bands: sectors of 45° from +x, distance and health bands', () => {
    expect([sectorOf(1, 0), sectorOf(1, 1), sectorOf(0, 1), sectorOf(-1, 0), sectorOf(0, -1), sectorOf(1, -0.3)]).toEqual([0, 1, 2, 4, 6, 0]);
    const s = tacticsSituation(base.context);
    const parsed = JSON.parse(s.key.slice(s.key.indexOf(' ') + 1)) as { pack: { spread: number; members: unknown[][] }; foes: unknown[][]; terrain: number[] };
    expect(s.key.startsWith('tactics/v1 ')).toBe(true);
    // Members: [species, toughness (40 hp ≈ 25·2^0.68 → 1), health band, role class]; the leader first.
    expect(parsed.pack).toEqual({ spread: 0, members: [['wolf', 1, 3, 'idle'], ['wolf', 1, 3, 'idle'], ['wolf', 1, 3, 'idle'], ['wolf', 1, 3, 'idle']] });
    // Foes: ['player', distance band, sector, health band, toughness (100 hp → 2), ground]; the nearer first.
    expect(parsed.foes).toEqual([['player', 2, 0, 2, 2, ''], ['player', 2, 0, 3, 2, '']]);
    expect(parsed.terrain).toEqual([0, 0, 0]); // chokepoints, slow ground, cover
  });

  it('relabels the context: the leader is member 1, players 101…, no ids, names, time or origin in the prompt', () => {
    const b = battleAt(123.25, 77.5, 4321.75, { members: [9004, 9001, 9003, 9002], players: [9006, 9005] }, LAYOUT, { names: ['Zed', 'Quinn'], events: ['players 9006, 9005 engage the pack', 'leader 8888 fell; 9004 leads', '1 member(s) fell; 4 left', 'players now 9005'] });
    const s = tacticsSituation(b.context);
    expect(s.members[0]).toBe(9004);
    expect(s.context.leader).toBe(1);
    expect(s.context.members.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(s.context.players.map((p) => p.id)).toEqual([101, 102]);
    // Same offsets and health as the live context, member by member.
    for (const [k, id] of s.members.entries()) {
      const live = b.context.members.find((m) => m.id === id)!;
      expect(s.context.members[k]).toEqual({ ...live, id: k + 1 });
    }
    expect(s.players).toEqual([9006, 9005]); // the hurt one (60 hp) is the nearer: label 101
    expect(s.context.events).toEqual(['players 101, 102 engage the pack', 'leader (gone) fell; 1 leads', '1 member(s) fell; 4 left', 'players now 102']);
    const text = JSON.stringify(tacticsMessages(s.context));
    for (const x of ['9001', '9002', '9003', '9004', '9005', '9006', '8888', 'Zed', 'Quinn', '4321', '123.25', '77.5', '"pack"', '"origin"', '"time"']) expect(text).not.toContain(x);
  });

  it('orders members canonically (leader, then species, toughness, health, role; ties by distance to the foes), whatever the ids', () => {
    const layout: Layout = {
      members: [{ dx: 0, dy: 0 }, { dx: 2, dy: 0, hp: 10 }, { dx: -1, dy: 0, species: 'boar', maxHp: 80 }, { dx: 3, dy: 1 }, { dx: -2, dy: 1 }],
      players: [{ dx: 9, dy: 0 }],
    };
    const a = tacticsSituation(battleAt(40, 40, 0, { members: [1, 2, 3, 4, 5], players: [9] }, layout).context);
    const b = tacticsSituation(battleAt(40, 40, 0, { members: [50, 40, 30, 20, 10], players: [60] }, layout).context);
    // Layout order → slots: leader; the boar; the healthy wolves (nearest the foe first); the hurt wolf.
    expect(a.members).toEqual([1, 3, 4, 5, 2]);
    expect(b.members).toEqual([50, 30, 20, 10, 40]);
    expect(a.key).toBe(b.key);
  });
});

describe('plans in slots and labels', () => {
  const b = battleAt(40, 40, 5, { members: [31, 32, 33, 34], players: [41, 42] });
  const s = tacticsSituation(b.context);
  const slotPlan: Plan = {
    formation: 'pincer', retreatBelow: 0.2, battleCry: 'Close the jaws!', ttl: 6,
    assignments: [
      { member: 1, role: 'bait', target: 101, x: null, y: null },
      { member: 2, role: 'flankLeft', target: 101, x: null, y: null },
      { member: 3, role: 'flankRight', target: 102, x: null, y: null },
      { member: 4, role: 'regroup', target: null, x: -3, y: 0 },
    ],
  };

  it('map onto the battle’s ids and back', () => {
    const mapped = planToIds(slotPlan, s);
    expect(mapped).toMatchObject({ droppedMembers: 0, clearedTargets: 0 });
    expect(mapped.plan.assignments.map((a) => [a.member, a.target])).toEqual([[s.members[0], s.players[0]], [s.members[1], s.players[0]], [s.members[2], s.players[1]], [s.members[3], null]]);
    expect(planToSlots(mapped.plan, s)).toEqual(slotPlan);
    expect(PlanSchema.parse(mapped.plan)).toEqual(mapped.plan);
  });

  it('drop members and clear targets that are not in this battle (validation then fills in)', () => {
    const bad: Plan = { ...slotPlan, assignments: [...slotPlan.assignments.slice(0, 2), { member: 9, role: 'engage', target: 101, x: null, y: null }, { member: 3, role: 'engage', target: 107, x: null, y: null }] };
    const mapped = planToIds(bad, s);
    expect(mapped).toMatchObject({ droppedMembers: 1, clearedTargets: 1 });
    const check = validatePlan(mapped.plan, b.world);
    expect(check.ok).toBe(true);
    expect(check.repairs.map((r) => r.action).sort()).toEqual(['added', 'repaired']);
  });

  it('relabelEvent keeps counts and turns unknown ids into (gone)', () => {
    const slots = new Map([[7, 1]]);
    const labels = new Map([[9, 101]]);
    expect(relabelEvent('2 member(s) fell; 7 left', slots, labels)).toBe('2 member(s) fell; 7 left');
    expect(relabelEvent('leader 3 fell; 7 leads', slots, labels)).toBe('leader (gone) fell; 1 leads');
    expect(relabelEvent('players now 9, 12', slots, labels)).toBe('players now 101, (gone)');
  });
});

