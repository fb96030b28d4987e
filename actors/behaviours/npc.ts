import { z } from 'zod';
import type { Behaviour, Transition } from '../behaviour.ts';
import type { Effect } from '../effects.ts';
import type { ActorId } from '../ids.ts';
import { NO_ACTOR } from '../ids.ts';
import { MIND_PORTS } from '../ports.ts';
import type { ChatRequest, Intent } from '../ports.ts';
import { remember } from './monsterMind.ts';
import type { PlayerMemory } from './monsterMind.ts';

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
  init: () => ({ chatWith: NO_ACTOR, memory: {}, nextTurn: 0, dead: false }),
  receive(state, message, ctx) {
    switch (message.type) {
      case 'tick':
        return state.dead ? { state } : stroll(state, ctx);
      case 'signal': {
        if (message.topic !== 'talk' || state.dead) return { state };
        const d = (message.data ?? {}) as { text?: unknown; name?: unknown };
        const m = state.memory[String(message.from)];
        const payload: ChatRequest = {
          player: message.from,
          playerName: typeof d.name === 'string' ? d.name : 'stranger',
          text: typeof d.text === 'string' ? d.text : '',
          persona: ctx.params.persona,
          disposition: m?.disposition ?? 0,
          memory: m?.entries ?? [],
        };
        const name = payload.playerName;
        const memory = m ? state.memory : { ...state.memory, [String(message.from)]: { name, disposition: 0, entries: [], at: ctx.time } };
        return { state: { ...state, chatWith: message.from, memory }, effects: [{ type: 'ask', port: MIND_PORTS.chat, payload, timeout: ctx.params.mindTimeout }] };
      }
      case 'reply': {
        if (message.port !== MIND_PORTS.chat) return { state };
        const player = state.chatWith;
        if (!message.ok || state.dead) return { state: { ...state, chatWith: NO_ACTOR }, effects: state.dead ? [] : [{ type: 'emit', event: { kind: 'say', text: ctx.rng.pick(FALLBACK_LINES) } }] };
        const v = message.value as { intent?: unknown; reply?: unknown } | null;
        const text = typeof v?.reply === 'string' && v.reply ? v.reply.slice(0, 280) : ctx.rng.pick(FALLBACK_LINES);
        const intent = (typeof v?.intent === 'string' ? v.intent : 'unknown') as Intent;
        const name = state.memory[String(player)]?.name ?? 'stranger';
        const memory = player === NO_ACTOR ? state.memory : remember(state.memory, player, name, intent, ctx.time);
        return { state: { ...state, chatWith: NO_ACTOR, memory }, effects: [{ type: 'emit', event: { kind: 'say', text } }] };
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
