import { z } from 'zod';
import type { Behaviour, Transition } from '../behaviour.ts';
import type { Effect } from '../effects.ts';

export const PlayerParamsSchema = z.object({
  damage: z.number().nonnegative().max(10_000).default(15),
  attackRange: z.number().nonnegative().max(16).default(0.8),
  /** Seconds between attacks. */
  cooldown: z.number().positive().max(60).default(0.5),
  /** Seconds from death to respawn at home, unless told where to respawn sooner (a `respawn` command). */
  respawnDelay: z.number().positive().max(3600).default(5),
  /** Seconds of spawn protection after spawning and after each respawn (no damage taken, not targeted); 0 for none. */
  shield: z.number().min(0).max(60).default(0),
}).strict();

export type PlayerParams = z.output<typeof PlayerParamsSchema>;

export interface PlayerState {
  /** Time of the next allowed attack. */
  readonly nextAttack: number;
  /** Point being walked to (world units), or null. */
  readonly goal: readonly [number, number] | null;
  /** Simulation time (seconds) the spawn protection ends; absent for avatars spawned without one. */
  readonly shieldUntil?: number;
}

/** Within this distance (world units) of its goal, an avatar stops. */
const ARRIVED = 0.2;

/**
 * A player's avatar: obeys `command` messages (walk in a direction, walk to a point, attack a target) with an
 * attack cooldown. Shielded for a few seconds after (re)spawning, until it attacks. After death it respawns where a
 * `respawn` command says, or at home when `respawnDelay` passes first.
 */
export const playerBehaviour: Behaviour<PlayerState, PlayerParams> = {
  name: 'player',
  params: PlayerParamsSchema as unknown as z.ZodType<PlayerParams>,
  init: (ctx) => (ctx.params.shield > 0 ? { nextAttack: 0, goal: null, shieldUntil: ctx.time + ctx.params.shield } : { nextAttack: 0, goal: null }),
  shielded: (state, time) => state.shieldUntil !== undefined && time < state.shieldUntil,
  receive(state, message, ctx) {
    switch (message.type) {
      case 'tick': {
        const me = ctx.body;
        if (!state.goal || !me || !me.alive) return { state };
        const dx = state.goal[0] - me.x;
        const dy = state.goal[1] - me.y;
        const d = Math.sqrt(dx * dx + dy * dy);
        if (d <= ARRIVED) return { state: { ...state, goal: null }, effects: [{ type: 'move', vx: 0, vy: 0 }] };
        // Slow down on the last step so as not to overshoot.
        const speed = Math.min(me.speed, d / ctx.dt);
        const vx = (dx / d) * speed;
        const vy = (dy / d) * speed;
        return Math.abs(vx - me.vx) < 1e-9 && Math.abs(vy - me.vy) < 1e-9 ? { state } : { state, effects: [{ type: 'move', vx, vy }] };
      }
      case 'command':
        return command(state, message, ctx);
      case 'died':
        return { state: { ...state, goal: null }, effects: [{ type: 'timer', key: 'respawn', delay: ctx.params.respawnDelay }] };
      case 'timer':
        return message.key === 'respawn' ? { state: shieldFrom(state, ctx), effects: [{ type: 'respawn' }] } : { state };
      default:
        return { state };
    }
  },
};

function command(
  state: PlayerState,
  message: Extract<Parameters<typeof playerBehaviour.receive>[1], { type: 'command' }>,
  ctx: Parameters<typeof playerBehaviour.receive>[2],
): Transition<PlayerState> {
  const me = ctx.body;
  if (me && !me.alive && message.respawn) {
    const { x, y } = message.respawn;
    return { state: shieldFrom({ ...state, goal: null }, ctx), effects: [{ type: 'cancelTimer', key: 'respawn' }, { type: 'respawn', x, y }] };
  }
  if (!me || !me.alive) return { state };
  const effects: Effect[] = [];
  let next = state;
  if (message.move) {
    const { x, y } = message.move;
    const len = Math.sqrt(x * x + y * y);
    const k = len > 1 ? me.speed / len : me.speed;
    effects.push({ type: 'move', vx: x * k, vy: y * k });
    next = { ...next, goal: null };
  } else if (message.goto) {
    next = { ...next, goal: [message.goto.x, message.goto.y] };
  }
  if (message.attack !== undefined && ctx.time >= state.nextAttack) {
    effects.push({ type: 'attack', target: message.attack, damage: ctx.params.damage, range: ctx.params.attackRange });
    // Attacking ends the spawn protection.
    next = { ...next, nextAttack: ctx.time + ctx.params.cooldown, ...(state.shieldUntil !== undefined && ctx.time < state.shieldUntil && { shieldUntil: ctx.time }) };
  }
  return { state: next, effects };
}

/** The state with spawn protection from now on (unchanged when the avatar has none). */
function shieldFrom(state: PlayerState, ctx: { readonly time: number; readonly params: PlayerParams }): PlayerState {
  return ctx.params.shield > 0 ? { ...state, shieldUntil: ctx.time + ctx.params.shield } : state;
}
