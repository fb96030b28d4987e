import { describe, expect, it } from 'vitest';
import { BehaviourRegistry, FlatTerrain, MIND_PORTS, monsterBehaviour, Simulation } from '../../actors/index.ts';
import type { Behaviour, MonsterState, ReplyInput, Traits } from '../../actors/index.ts';
import { Rng } from '../../shared/index.ts';

/**
 * Personality shows in behaviour: monsters of one species, equal in everything but one designer-forced trait
 * (low 0.1 against high 0.9, the others middling), meet a scripted foe over many seeded encounters. Each trait moves
 * its statistic clearly (the means differ by more than twice the standard error of their difference), and the same
 * traits and seed give the same statistics.
 */

const SEEDS = 40;
const LOW = 0.1;
const HIGH = 0.9;

/** A scripted foe: walks at its speed to the nearest monster within 60 units and, when `damage` > 0, hits it in reach. */
interface DummyState { readonly nextAttack: number }
interface DummyParams { readonly damage: number; readonly cooldown: number; readonly range: number; readonly startAt: number }
const dummy: Behaviour<DummyState, DummyParams> = {
  name: 'dummy',
  init: () => ({ nextAttack: 0 }),
  receive(state, message, ctx) {
    if (message.type !== 'tick') return { state };
    const me = ctx.body;
    if (!me || !me.alive || ctx.time < ctx.params.startAt) return { state };
    const t = ctx.nearest(60, (c, self) => c.faction !== self.faction);
    if (!t) return { state, effects: [{ type: 'move', vx: 0, vy: 0 }] };
    const dx = t.x - me.x;
    const dy = t.y - me.y;
    const d = Math.hypot(dx, dy);
    const reach = ctx.params.range + me.radius + t.radius;
    if (d <= reach && ctx.params.damage > 0) {
      if (ctx.time < state.nextAttack) return { state, effects: [{ type: 'move', vx: 0, vy: 0 }] };
      return { state: { nextAttack: ctx.time + ctx.params.cooldown }, effects: [{ type: 'move', vx: 0, vy: 0 }, { type: 'attack', target: t.id, damage: ctx.params.damage, range: ctx.params.range }] };
    }
    return { state, effects: [{ type: 'move', vx: (dx / d) * me.speed, vy: (dy / d) * me.speed }] };
  },
};

type Trait = keyof Traits;

interface Arena {
  readonly sim: Simulation;
  readonly monsters: number[];
  readonly foe: number;
  /** Think asks answered so far. */
  readonly answered: () => number;
  /** One step; think asks are answered with `action` (null: never answered, reflexes alone). */
  step(): void;
}

/** A 64×64 open arena with `count` monsters of one species (one trait forced to `value`) and one scripted foe. */
function arena(seed: string, trait: Trait, value: number, count: number, foe: { x: number; y: number; speed: number; damage: number; startAt?: number }, action: string | null, spread = 0): Arena {
  const rng = Rng.create(seed);
  const sim = new Simulation({ seed, registry: new BehaviourRegistry().register(monsterBehaviour).register(dummy), terrain: new FlatTerrain(64, 64), record: false });
  const monsters: number[] = [];
  for (let i = 0; i < count; i++) {
    sim.input({
      type: 'spawn',
      spec: {
        kind: 'monster', behaviour: 'monster',
        params: { personality: false, traits: { [trait]: value }, perception: 8, damage: 4, cooldown: 1, homeRadius: 12, respawnDelay: 3600, activation: action ? 40 : 0 },
        body: { x: 32 + rng.float(-spread, spread), y: 32 + rng.float(-spread, spread), maxHp: 100, speed: 3, faction: 'wolves' }, tags: { species: 'wolf' },
      },
    });
    monsters.push(i + 1);
  }
  sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'dummy', params: { damage: foe.damage, cooldown: 0.5, range: 0.6, startAt: foe.startAt ?? 0 }, body: { x: foe.x, y: foe.y, maxHp: 100_000, speed: foe.speed, faction: 'players' } } });
  let pending: ReplyInput[] = [];
  let answered = 0;
  return {
    sim, monsters, foe: count + 1, answered: () => answered,
    step() {
      for (const r of pending) sim.reply(r);
      answered += pending.length;
      pending = [];
      const report = sim.step();
      if (action) for (const q of report.requests) if (q.port === MIND_PORTS.think) pending.push({ requestId: q.requestId, ok: true, value: { action, confidence: 0.9 } });
    },
  };
}

const mode = (a: Arena, id: number): MonsterState['mode'] => (a.sim.world.actors.get(id)!.state as MonsterState).mode;
const body = (a: Arena, id: number) => a.sim.world.actors.get(id)!.body!;

/** A foe from a seeded direction, `distance` away from the arena's centre. */
function around(seed: string, distance: number): { x: number; y: number } {
  const angle = Rng.create(`${seed}:foe`).float(0, 2 * Math.PI);
  return { x: 32 + Math.cos(angle) * distance, y: 32 + Math.sin(angle) * distance };
}

/** Courage: the monster's hp fraction when it first flees from a foe that keeps hitting it (NaN if it never fled). */
function fleeHp(seed: string, courage: number): number {
  const hit = 2 + Rng.create(`${seed}:hit`).int(0, 5);
  const a = arena(seed, 'courage', courage, 1, { ...around(seed, 3), speed: 1.5, damage: hit }, null);
  for (let i = 0; i < 2400; i++) {
    a.step();
    const m = body(a, 1);
    if (mode(a, 1) === 'flee') return m.hp / m.maxHp;
    if (!m.alive) break;
  }
  return NaN;
}

/** Aggression: distance (centre to centre) to a foe walking straight at it when it first goes after the foe. */
function engageDistance(seed: string, aggression: number, action: string | null): number {
  const a = arena(seed, 'aggression', aggression, 1, { ...around(seed, 20), speed: 1, damage: 0 }, action);
  for (let i = 0; i < 1200; i++) {
    a.step();
    const s = mode(a, 1);
    if (s === 'chase' || s === 'fight') {
      // With a mind: it had its say before the foe came in range.
      if (action && a.answered() === 0) return NaN;
      const m = body(a, 1);
      const f = body(a, a.foe);
      return Math.hypot(f.x - m.x, f.y - m.y);
    }
  }
  return NaN;
}

/** Sociability: mean distance to its nearest pack mate, over 4 monsters and 60 s (40 s idle, then a foe walks in). */
function mateDistance(seed: string, sociability: number): number {
  const a = arena(seed, 'sociability', sociability, 4, { ...around(seed, 30), speed: 1, damage: 2, startAt: 40 }, null, 7);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < 1200; i++) {
    a.step();
    if (i % 10 !== 9) continue;
    for (const id of a.monsters) {
      const m = body(a, id);
      let best = Infinity;
      for (const o of a.monsters) if (o !== id) best = Math.min(best, Math.hypot(body(a, o).x - m.x, body(a, o).y - m.y));
      sum += best;
      n++;
    }
  }
  return sum / n;
}

interface Stats { readonly mean: number; readonly se: number; readonly values: readonly number[] }

function stats(measure: (seed: string) => number): Stats {
  const values: number[] = [];
  for (let i = 0; i < SEEDS; i++) values.push(measure(`trait-${i}`));
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, se: Math.sqrt(variance / values.length), values };
}

/** `high` exceeds `low` by more than twice the standard error of the difference. */
function expectClearlyAbove(high: Stats, low: Stats): void {
  expect(high.values.every(Number.isFinite)).toBe(true);
  expect(low.values.every(Number.isFinite)).toBe(true);
  const se = Math.sqrt(high.se ** 2 + low.se ** 2);
  expect(high.mean - low.mean).toBeGreaterThan(2 * se);
}

describe('personality shows in behaviour (40 seeded encounters per trait value)', () => {
  it('courage: a brave monster flees later, at lower hp, than a timid one', () => {
    const timid = stats((s) => fleeHp(s, LOW));
    const brave = stats((s) => fleeHp(s, HIGH));
    expectClearlyAbove(timid, brave);
    // Species fleeBelow 0.25: 0.35 of max hp at courage 0.1, 0.15 at 0.9.
    expect(Math.max(...timid.values)).toBeLessThan(0.35);
    expect(Math.min(...timid.values)).toBeGreaterThan(0.15);
    expect(Math.max(...brave.values)).toBeLessThan(0.15);
    expect(stats((s) => fleeHp(s, LOW))).toEqual(timid);
  });

  it('aggression: an aggressive monster engages a foe from farther away, whatever its mind decides', () => {
    for (const action of [null, 'attack']) {
      const meek = stats((s) => engageDistance(s, LOW, action));
      const fierce = stats((s) => engageDistance(s, HIGH, action));
      expectClearlyAbove(fierce, meek);
      // Perception 8: the aggressive one engages at its edge, the meek one only about half as near.
      expect(fierce.mean).toBeGreaterThan(7);
      expect(meek.mean).toBeLessThan(5);
      expect(stats((s) => engageDistance(s, HIGH, action))).toEqual(fierce);
    }
  });

  it('sociability: a sociable pack keeps closer together than a pack of loners', () => {
    const loners = stats((s) => mateDistance(s, LOW));
    const sociable = stats((s) => mateDistance(s, HIGH));
    expectClearlyAbove(loners, sociable);
    expect(stats((s) => mateDistance(s, HIGH))).toEqual(sociable);
  });
});
