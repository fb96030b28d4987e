import { z } from 'zod';
import type { Behaviour } from '../behaviour.ts';
import type { Effect } from '../effects.ts';

export const PlayerParamsSchema = z.object({
  damage: z.number().nonnegative().max(10_000).default(15),
  attackRange: z.number().nonnegative().max(16).default(0.8),
  /** Seconds between attacks. */
  cooldown: z.number().positive().max(60).default(0.5),
  /** Seconds from death to respawn. */
  respawnDelay: z.number().positive().max(3600).default(5),
}).strict();

export type PlayerParams = z.output<typeof PlayerParamsSchema>;

export interface PlayerState {
  /** Time of the next allowed attack. */
  readonly nextAttack: number;
}

/**
 * A player's avatar: obeys `command` messages (move direction, attack target) with an attack cooldown;
 * respawns after death. Has no reflexes, so it is not ticked.
 */
export const playerBehaviour: Behaviour<PlayerState, PlayerParams> = {
  name: 'player',
  params: PlayerParamsSchema as unknown as z.ZodType<PlayerParams>,
  ticks: false,
  init: () => ({ nextAttack: 0 }),
  receive(state, message, ctx) {
    switch (message.type) {
      case 'command': {
        const me = ctx.body;
        if (!me || !me.alive) return { state };
        const effects: Effect[] = [];
        if (message.move) {
          const { x, y } = message.move;
          const len = Math.hypot(x, y);
          const k = len > 1 ? me.speed / len : me.speed;
          effects.push({ type: 'move', vx: x * k, vy: y * k });
        }
        let next = state;
        if (message.attack !== undefined && ctx.time >= state.nextAttack) {
          effects.push({ type: 'attack', target: message.attack, damage: ctx.params.damage, range: ctx.params.attackRange });
          next = { nextAttack: ctx.time + ctx.params.cooldown };
        }
        return { state: next, effects };
      }
      case 'died':
        return { state, effects: [{ type: 'timer', key: 'respawn', delay: ctx.params.respawnDelay }] };
      case 'timer':
        return message.key === 'respawn' ? { state, effects: [{ type: 'respawn' }] } : { state };
      default:
        return { state };
    }
  },
};
