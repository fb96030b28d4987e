import { z } from 'zod';
import type { Behaviour, Transition } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { Effect } from '../effects.ts';

/** Parameters of a simulated player. Distances in world units, times in seconds. */
export const ScenarioPlayerParamsSchema = z.object({
  /** Waypoints as a flat [x0, y0, x1, y1, …] list in absolute world units, walked in order. */
  route: z.array(z.number().finite()).max(256).refine((r) => r.length % 2 === 0, 'route must hold x, y pairs').default([]),
  damage: z.number().nonnegative().max(10_000).default(15),
  attackRange: z.number().nonnegative().max(16).default(0.8),
  cooldown: z.number().positive().max(60).default(0.5),
  /** Fights hostile bodies within this radius (0: never). */
  aggro: z.number().min(0).max(64).default(6),
}).strict();

export type ScenarioPlayerParams = z.output<typeof ScenarioPlayerParamsSchema>;

export interface ScenarioPlayerState {
  /** Index (into route pairs) of the waypoint being walked to. */
  readonly waypoint: number;
  readonly nextAttack: number;
}

/** Within this distance of a waypoint, it counts as reached. */
const ARRIVED = 0.5;

/** Factions a simulated player leaves alone. */
const PEACEFUL = new Set(['players', 'villagers', 'neutral']);

const hostile = (c: Readonly<Body>, me: Readonly<Body>): boolean => c.faction !== me.faction && !PEACEFUL.has(c.faction);

/**
 * A simulated player for headless scenario runs (kind `player`, so monsters wake up and hunt it): walks its route,
 * fights the nearest hostile within `aggro`, and stays dead when killed (so "every player died" can end a run).
 */
export const scenarioPlayerBehaviour: Behaviour<ScenarioPlayerState, ScenarioPlayerParams> = {
  name: 'scenarioPlayer',
  params: ScenarioPlayerParamsSchema as unknown as z.ZodType<ScenarioPlayerParams>,
  init: () => ({ waypoint: 0, nextAttack: 0 }),
  receive(state, message, ctx) {
    if (message.type !== 'tick') return { state };
    const me = ctx.body;
    if (!me || !me.alive) return me && (me.vx !== 0 || me.vy !== 0) ? { state, effects: [{ type: 'move', vx: 0, vy: 0 }] } : { state };
    const p = ctx.params;
    const foe = p.aggro > 0 ? ctx.nearestFoe(p.aggro, hostile) : undefined;
    if (foe) {
      const dx = foe.x - me.x;
      const dy = foe.y - me.y;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d <= p.attackRange + me.radius + foe.radius) {
        const effects: Effect[] = me.vx !== 0 || me.vy !== 0 ? [{ type: 'move', vx: 0, vy: 0 }] : [];
        if (ctx.time < state.nextAttack) return { state, effects };
        effects.push({ type: 'attack', target: foe.id, damage: p.damage, range: p.attackRange });
        return { state: { ...state, nextAttack: ctx.time + p.cooldown }, effects };
      }
      return move(state, me, (dx / d) * me.speed, (dy / d) * me.speed);
    }
    let i = state.waypoint;
    while (i * 2 < p.route.length && Math.hypot((p.route[i * 2] as number) - me.x, (p.route[i * 2 + 1] as number) - me.y) <= ARRIVED) i++;
    const next = i === state.waypoint ? state : { ...state, waypoint: i };
    if (i * 2 >= p.route.length) return move(next, me, 0, 0);
    const dx = (p.route[i * 2] as number) - me.x;
    const dy = (p.route[i * 2 + 1] as number) - me.y;
    const d = Math.sqrt(dx * dx + dy * dy);
    const speed = Math.min(me.speed, d / ctx.dt);
    return move(next, me, (dx / d) * speed, (dy / d) * speed);
  },
};

function move(state: ScenarioPlayerState, me: Readonly<Body>, vx: number, vy: number): Transition<ScenarioPlayerState> {
  if (Math.abs(vx - me.vx) < 1e-9 && Math.abs(vy - me.vy) < 1e-9) return { state };
  return { state, effects: [{ type: 'move', vx, vy }] };
}
