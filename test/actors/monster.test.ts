import { describe, expect, it } from 'vitest';
import { spawnActor, step } from '../../actors/index.ts';
import type { MonsterState, World } from '../../actors/index.ts';
import { testWorld } from './helpers.ts';

function monster(w: World, x: number, y: number, faction: string, params: Record<string, unknown> = {}, body: Record<string, unknown> = {}): number {
  const r = spawnActor(w, { kind: 'monster', behaviour: 'monster', params, body: { x, y, faction, speed: 4, maxHp: 50, ...body } });
  if (!r.ok) throw new Error(r.error);
  return r.id;
}

const mode = (w: World, id: number): MonsterState['mode'] => (w.actors.get(id)!.state as MonsterState).mode;
const body = (w: World, id: number) => w.actors.get(id)!.body!;
const run = (w: World, seconds: number): void => {
  for (let i = 0; i < Math.round(seconds / w.config.dt); i++) step(w);
};

describe('monster behaviours', () => {
  it('wanders around home when nothing is near', () => {
    const w = testWorld([], 200);
    const m = monster(w, 100, 100, 'wolves', { homeRadius: 10 });
    run(w, 60);
    expect(mode(w, m)).toBe('wander');
    const b = body(w, m);
    expect(Math.hypot(b.x - 100, b.y - 100)).toBeLessThan(25);
    expect(b.x !== 100 || b.y !== 100).toBe(true);
  });

  it('notices a hostile within perception only, chases and attacks with a cooldown', () => {
    const w = testWorld([], 200);
    const hunter = monster(w, 50, 50, 'wolves', { perception: 8, damage: 5, cooldown: 1 });
    const prey = monster(w, 56, 50, 'goblins', { perception: 1, fleeBelow: 0, wanderSpeed: 0, damage: 0 }, { maxHp: 1000 });
    // A pack mate that sees everything but deals no damage: prey hp counts the hunter's hits only.
    const friend = monster(w, 51, 51, 'wolves', { wanderSpeed: 0, damage: 0 });
    step(w);
    step(w);
    expect(mode(w, hunter)).toBe('chase');
    expect((w.actors.get(hunter)!.state as MonsterState).target).toBe(prey);
    run(w, 2);
    expect(mode(w, hunter)).toBe('fight');
    const hp0 = body(w, prey).hp;
    run(w, 3);
    const hits = (hp0 - body(w, prey).hp) / 5;
    expect(hits).toBeGreaterThanOrEqual(2);
    expect(hits).toBeLessThanOrEqual(4); // one hit per second, not one per tick
    expect(body(w, friend).hp).toBe(50); // never attacked by its own faction
    expect((w.actors.get(hunter)!.state as MonsterState).target).not.toBe(friend);
  });

  it('ignores hostiles beyond perception', () => {
    const w = testWorld([], 200);
    const a = monster(w, 20, 20, 'wolves', { perception: 5, wanderSpeed: 0 });
    monster(w, 40, 20, 'goblins', { perception: 5, wanderSpeed: 0 });
    run(w, 1);
    expect(mode(w, a)).toBe('wander');
  });

  it('flees at low health, dies at zero and respawns at home after the delay', () => {
    const w = testWorld([], 200);
    const killer = monster(w, 50, 50, 'wolves', { damage: 20, cooldown: 0.5 }, { speed: 1 });
    const victim = monster(w, 51, 50, 'goblins', { fleeBelow: 0.5, respawnDelay: 5, damage: 0 }, { maxHp: 50, speed: 2 });
    let fled = false;
    for (let i = 0; i < 400 && body(w, victim).alive; i++) {
      step(w);
      if (mode(w, victim) === 'flee') fled = true;
    }
    expect(fled).toBe(true);
    // The slower killer may not catch it; finish it with direct hits if needed.
    while (body(w, victim).alive) {
      body(w, killer).x = body(w, victim).x - 0.5;
      body(w, killer).y = body(w, victim).y;
      step(w);
    }
    step(w);
    expect(mode(w, victim)).toBe('dead');
    expect(w.stats.deaths).toBe(1);
    run(w, 4.5);
    expect(body(w, victim).alive).toBe(false);
    run(w, 1);
    expect(body(w, victim).alive).toBe(true);
    expect(body(w, victim).hp).toBe(50);
    expect(Math.hypot(body(w, victim).x - 51, body(w, victim).y - 50)).toBeLessThan(2); // back home, wandering off again
  });

  it('retaliates against an attacker it could not see coming', () => {
    const w = testWorld([], 200);
    const target = monster(w, 30, 30, 'goblins', { perception: 1, fleeBelow: 0, wanderSpeed: 0 }, { maxHp: 500 });
    const sniper = monster(w, 31.2, 30, 'wolves', { perception: 0.1, attackRange: 2, wanderSpeed: 0 });
    // The sniper stands beyond the target's perception (1) but within its leash (1.5): a hit makes it the target.
    step(w, undefined, { inputs: [{ type: 'send', to: target, message: { type: 'hit', from: sniper, amount: 1 } }] });
    step(w);
    expect((w.actors.get(target)!.state as MonsterState).target).toBe(sniper);
  });

  it('slides along walls instead of walking through them', () => {
    const w = testWorld([], 40);
    const m = monster(w, 0.5, 0.5, 'wolves', { wanderSpeed: 1 });
    run(w, 30);
    const b = body(w, m);
    expect(b.x >= 0 && b.y >= 0 && b.x < 40 && b.y < 40).toBe(true);
  });
});
