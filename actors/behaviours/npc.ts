import { z } from 'zod';
import type { Behaviour, Transition } from '../behaviour.ts';
import type { Effect } from '../effects.ts';
import type { ActorId } from '../ids.ts';
import { NO_ACTOR } from '../ids.ts';
import { MIND_PORTS } from '../ports.ts';
import type { PlayerMemory } from '../ports.ts';
import { askChat, chatReplyOf, nameOf, remember, whereWords } from './chatMemory.ts';

/** Who an NPC is, for its lines (see the chat port's Persona). */
export const NpcPersonaSchema = z.object({
  name: z.string().min(1).max(48),
  role: z.string().min(1).max(64),
  knows: z.array(z.string().min(1).max(200)).max(16).default([]),
  mood: z.string().min(1).max(32).default('calm'),
  voice: z.string().min(1).max(32).optional(),
  species: z.string().min(1).max(32).default('human'),
}).strict();

/** Parameters of an NPC. Distances in world units, times in seconds. */
export const NpcParamsSchema = z.object({
  persona: NpcPersonaSchema,
  /** Wanders within this radius of home (0 stands still). */
  wander: z.number().min(0).max(32).default(3),
  /** Walking speed as a fraction of the body's speed. */
  wanderSpeed: z.number().min(0).max(1).default(0.5),
  /** Seconds the chat mind may take. */
  mindTimeout: z.number().positive().max(30).default(3),
  /** Seconds from death to respawn. */
  respawnDelay: z.number().positive().max(3600).default(30),
}).strict();

export type NpcParams = z.output<typeof NpcParamsSchema>;

export interface NpcState {
  /** The player whose line it is answering, or 0. */
  readonly chatWith: ActorId;
  /** That player's display name and line. */
  readonly chatName: string;
  readonly chatText: string;
  /** What it remembers of players, by actor id. */
  readonly memory: Readonly<Record<string, PlayerMemory>>;
  /** Time to pick a new stroll (or stop resting). */
  readonly nextTurn: number;
  readonly dead: boolean;
}

const FALLBACK_LINES = ['Hm? Say that again.', 'Sorry, I was miles away.', 'Come again?'] as const;

/**
 * A non-player character with a persona (name, role, what it knows, mood): strolls near home, and answers players
 * who talk to it through the `chat` mind port with its persona and its memory of that player. It never attacks.
 */
export const npcBehaviour: Behaviour<NpcState, NpcParams> = {
  name: 'npc',
  params: NpcParamsSchema as unknown as z.ZodType<NpcParams>,
  init: () => ({ chatWith: NO_ACTOR, chatName: '', chatText: '', memory: {}, nextTurn: 0, dead: false }),
  receive(state, message, ctx) {
    switch (message.type) {
      case 'tick':
        return state.dead ? { state } : stroll(state, ctx);
      case 'signal': {
        if (message.topic !== 'talk' || state.dead) return { state };
        const d = (message.data ?? {}) as { text?: unknown; name?: unknown };
        const name = typeof d.name === 'string' && d.name ? d.name : 'stranger';
        const text = typeof d.text === 'string' ? d.text : '';
        return { state: { ...state, chatWith: message.from, chatName: name, chatText: text }, effects: [askChat(ctx, personaWithHome(ctx), state.memory, message.from, name, text, ctx.params.mindTimeout)] };
      }
      case 'reply': {
        if (message.port !== MIND_PORTS.chat) return { state };
        const player = state.chatWith;
        const v = message.ok && !state.dead ? chatReplyOf(message.value) : null;
        if (!v) return { state: { ...state, chatWith: NO_ACTOR }, effects: state.dead ? [] : [{ type: 'emit', event: { kind: 'say', text: ctx.rng.pick(FALLBACK_LINES) } }] };
        const memory = player === NO_ACTOR ? state.memory : remember(state.memory, player, { ...v, heard: v.heard || state.chatText, name: nameOf(state.memory[String(player)], state.chatName), answered: v.reply, time: ctx.time });
        return { state: { ...state, chatWith: NO_ACTOR, chatText: '', memory }, effects: [{ type: 'emit', event: { kind: 'say', text: v.reply } }] };
      }
      case 'hit':
        return state.dead ? { state } : { state, effects: [{ type: 'emit', event: { kind: 'bark', text: 'Help! Guards!' } }] };
      case 'died':
        return { state: { ...state, dead: true, chatWith: NO_ACTOR }, effects: [{ type: 'move', vx: 0, vy: 0 }, { type: 'timer', key: 'respawn', delay: ctx.params.respawnDelay }] };
      case 'timer':
        return message.key === 'respawn' ? { state: { ...state, dead: false, nextTurn: 0 }, effects: [{ type: 'respawn' }] } : { state };
      default:
        return { state };
    }
  },
};

/** Rest, or walk a few seconds in a direction that keeps it within `wander` of home. */
function stroll(state: NpcState, ctx: Parameters<typeof npcBehaviour.receive>[2]): Transition<NpcState> {
  const me = ctx.body;
  const p = ctx.params;
  if (!me || p.wander === 0 || ctx.time < state.nextTurn) return { state };
  const rng = ctx.rng;
  const effects: Effect[] = [];
  if (me.vx !== 0 || me.vy !== 0 || rng.chance(0.5)) {
    effects.push({ type: 'move', vx: 0, vy: 0 });
  } else {
    const hx = me.homeX - me.x;
    const hy = me.homeY - me.y;
    const angle = hx * hx + hy * hy > p.wander * p.wander ? Math.atan2(hy, hx) : rng.float(0, 2 * Math.PI);
    const speed = me.speed * p.wanderSpeed;
    effects.push({ type: 'move', vx: Math.cos(angle) * speed, vy: Math.sin(angle) * speed });
  }
  return { state: { ...state, nextTurn: ctx.time + rng.float(2, 6) }, effects };
}

/** The persona, with where its home lies in words when it has wandered from it. */
function personaWithHome(ctx: Parameters<typeof npcBehaviour.receive>[2]): NpcParams['persona'] {
  const p = ctx.params.persona;
  const me = ctx.body;
  if (!me || (me.x - me.homeX) ** 2 + (me.y - me.homeY) ** 2 < 9) return p;
  return { ...p, knows: [...p.knows, `my home is ${whereWords(ctx, me.homeX, me.homeY)}`] };
}
