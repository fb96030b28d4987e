import { z } from 'zod';
import type { ActorContext, Behaviour, Transition } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { Effect } from '../effects.ts';
import type { ActorId } from '../ids.ts';
import { NO_ACTOR } from '../ids.ts';
import { MOVED } from '../messages.ts';
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

/**
 * How an NPC behaves in danger. A `peaceful` one (smith, innkeeper, herbalist …) runs from whoever hits it and
 * calls the guards; a `guard` goes for whoever hit it or the one a villager called about, within a leash of home.
 * Neither ever joins a fighting pack.
 */
export const NPC_STANCES = ['peaceful', 'guard'] as const;
export type NpcStance = (typeof NPC_STANCES)[number];
export const NpcStanceSchema = z.enum(NPC_STANCES);

/** Roles that make a guard when no stance is given (whole words, any case). */
const GUARD_ROLE = /\b(guards?|guardsm[ae]n|watch|watchm[ae]n|soldiers?|sentry|sentries|sentinels?|knights?|militia|militiam[ae]n)\b/i;

/** The stance a role suggests: guards, watchmen, soldiers, sentries and knights defend; everyone else is peaceful. */
export function stanceOfRole(role: string): NpcStance {
  return GUARD_ROLE.test(role) ? 'guard' : 'peaceful';
}

/** Signal topic of a villager's call for help to the guards near it; `data` is the attacker's actor id. */
export const CALL_GUARDS_TOPIC = 'callGuards';

/** Defaults of the tunables an NPC uses in danger (see {@link NpcParamsSchema}). */
const DANGER = { fleeFor: 4, callRadius: 16, leash: 14, damage: 12, attackRange: 0.8, cooldown: 1 } as const;

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
  /** How it behaves in danger; when not given, what its persona's role suggests (see {@link stanceOfRole}). */
  stance: NpcStanceSchema.optional(),
  /** Peaceful: seconds it runs from whoever hit it before it walks home. */
  fleeFor: z.number().positive().max(60).default(DANGER.fleeFor),
  /** Peaceful: its call for help reaches the guards of its faction within this radius. */
  callRadius: z.number().min(0).max(64).default(DANGER.callRadius),
  /** Guard: it gives up on an attacker who is farther than this from its home. */
  leash: z.number().positive().max(256).default(DANGER.leash),
  /** Guard: damage of a hit, its reach (edge to edge) and seconds between hits. */
  damage: z.number().nonnegative().max(10_000).default(DANGER.damage),
  attackRange: z.number().nonnegative().max(16).default(DANGER.attackRange),
  cooldown: z.number().positive().max(60).default(DANGER.cooldown),
}).strict();

export type NpcParams = z.output<typeof NpcParamsSchema>;

/** An NPC's stance: the one it was given, else the one its role suggests. */
export function npcStance(params: { readonly stance?: NpcStance | undefined; readonly persona: { readonly role: string } }): NpcStance {
  return params.stance ?? stanceOfRole(params.persona.role);
}

/** The role text and stance of an NPC from its spawn params (for inspectors and overlays), or null when they are not an NPC's. */
export function npcRoleOf(params: unknown): { readonly role: string; readonly stance: NpcStance } | null {
  const p = params as { persona?: { role?: unknown }; stance?: unknown } | null | undefined;
  const role = p?.persona?.role;
  if (typeof role !== 'string') return null;
  const stance = p?.stance === 'guard' || p?.stance === 'peaceful' ? p.stance : stanceOfRole(role);
  return { role, stance };
}

/** What an NPC is doing about danger: running from someone, going for someone (guards), or walking home after. */
export type NpcAlarm =
  | { readonly mode: 'flee'; readonly from: ActorId; readonly until: number }
  | { readonly mode: 'defend'; readonly target: ActorId; readonly nextAttack: number }
  | { readonly mode: 'home'; readonly until: number };

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
  /** The danger it is dealing with; null (or absent, in states saved before stances) while calm. */
  readonly alarm?: NpcAlarm | null;
  /** Earliest time it calls for help again. */
  readonly nextCallAt?: number;
}

const FALLBACK_LINES = ['Hm? Say that again.', 'Sorry, I was miles away.', 'Come again?'] as const;

/** Seconds between two calls for help of a peaceful NPC that keeps being hit. */
const CALL_EVERY = 3;
/** Seconds a walk home may take before the NPC strolls again (and drifts home from there). */
const HOME_WITHIN = 30;
/** Within this distance (world units) of home, it is back. */
const AT_HOME = 0.3;

const GUARD_CRIES = ['Halt, villain!', 'Stand and fight!', 'Leave them be!'] as const;
const GIVE_UP_LINES = ['And stay away!', 'Good riddance.'] as const;

/**
 * A non-player character with a persona (name, role, what it knows, mood): strolls near home, and answers players
 * who talk to it through the `chat` mind port with its persona and its memory of that player. Its stance decides
 * what it does in danger: a peaceful one that is hit runs from the attacker for `fleeFor` seconds, calls for help
 * and signals the guards of its faction within `callRadius`, then walks home; a guard that is hit, or hears such a
 * call, goes for the attacker and fights it while it stays within `leash` of home, then walks home. A guard only
 * ever attacks someone who hit it or whom a villager called about.
 */
export const npcBehaviour: Behaviour<NpcState, NpcParams> = {
  name: 'npc',
  params: NpcParamsSchema as unknown as z.ZodType<NpcParams>,
  init: () => ({ chatWith: NO_ACTOR, chatName: '', chatText: '', memory: {}, nextTurn: 0, dead: false, alarm: null, nextCallAt: 0 }),
  receive(state, message, ctx) {
    switch (message.type) {
      case 'tick':
        if (state.dead) return { state };
        return state.alarm ? alarmed(state, state.alarm, ctx) : stroll(state, ctx);
      case 'signal': {
        if (message.topic === CALL_GUARDS_TOPIC) return answerCall(state, message.from, message.data, ctx);
        if (message.topic !== 'talk' || state.dead) return { state };
        const d = (message.data ?? {}) as { text?: unknown; name?: unknown };
        const name = typeof d.name === 'string' && d.name ? d.name : 'stranger';
        const text = typeof d.text === 'string' ? d.text : '';
        return { state: { ...state, chatWith: message.from, chatName: name, chatText: text }, effects: [askChat(ctx, personaWithHome(ctx), state.memory, message.from, name, text, ctx.params.mindTimeout)] };
      }
      case 'reply': {
        if (message.port !== MIND_PORTS.chat) return { state };
        const player = state.chatWith;
        // Asked in another zone before it moved here: ask again.
        if (!message.ok && message.error === MOVED && player !== NO_ACTOR && !state.dead) {
          return { state, effects: [askChat(ctx, personaWithHome(ctx), state.memory, player, state.chatName, state.chatText, ctx.params.mindTimeout)] };
        }
        const v = message.ok && !state.dead ? chatReplyOf(message.value) : null;
        if (!v) return { state: { ...state, chatWith: NO_ACTOR }, effects: state.dead ? [] : [{ type: 'emit', event: { kind: 'say', text: ctx.rng.pick(FALLBACK_LINES) } }] };
        const memory = player === NO_ACTOR ? state.memory : remember(state.memory, player, { ...v, heard: v.heard || state.chatText, name: nameOf(state.memory[String(player)], state.chatName), answered: v.reply, time: ctx.time });
        return { state: { ...state, chatWith: NO_ACTOR, chatText: '', memory }, effects: [{ type: 'emit', event: { kind: 'say', text: v.reply } }] };
      }
      case 'hit':
        return state.dead ? { state } : hit(state, message.from, ctx);
      case 'died':
        return { state: { ...state, dead: true, chatWith: NO_ACTOR, alarm: null }, effects: [{ type: 'move', vx: 0, vy: 0 }, { type: 'timer', key: 'respawn', delay: ctx.params.respawnDelay }] };
      case 'timer':
        return message.key === 'respawn' ? { state: { ...state, dead: false, nextTurn: 0, alarm: null }, effects: [{ type: 'respawn' }] } : { state };
      default:
        return { state };
    }
  },
};

type Ctx = ActorContext<NpcParams>;

type Danger = { readonly [K in keyof typeof DANGER]: number };

/** The danger tunables of an NPC: params restored from a world saved before NPCs had them get the defaults. */
function danger(ctx: Ctx): Danger {
  const p = ctx.params as Partial<NpcParams>;
  return {
    fleeFor: p.fleeFor ?? DANGER.fleeFor, callRadius: p.callRadius ?? DANGER.callRadius, leash: p.leash ?? DANGER.leash,
    damage: p.damage ?? DANGER.damage, attackRange: p.attackRange ?? DANGER.attackRange, cooldown: p.cooldown ?? DANGER.cooldown,
  };
}

/** Rest, or walk a few seconds in a direction that keeps it within `wander` of home. */
function stroll(state: NpcState, ctx: Ctx): Transition<NpcState> {
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

/**
 * Hit by `from`. A guard goes for the attacker (unless it is already fighting someone); a peaceful NPC runs from
 * it and, at most every CALL_EVERY seconds, cries for help and signals the guards of its faction near it.
 */
function hit(state: NpcState, from: ActorId, ctx: Ctx): Transition<NpcState> {
  const me = ctx.body;
  const attacker = from === ctx.self ? undefined : ctx.bodyOf(from);
  if (!me || !attacker) return { state, effects: [{ type: 'emit', event: { kind: 'bark', text: 'Help! Guards!' } }] };
  if (npcStance(ctx.params) === 'guard') return defend(state, from, ctx);
  const p = danger(ctx);
  const alarm: NpcAlarm = { mode: 'flee', from, until: ctx.time + p.fleeFor };
  if (ctx.time < (state.nextCallAt ?? 0)) return { state: { ...state, alarm } };
  const effects: Effect[] = [{ type: 'emit', event: { kind: 'bark', text: 'Help! Guards!' } }];
  for (const b of ctx.within(me.x, me.y, p.callRadius)) {
    if (b.id === ctx.self || b.id === from || b.faction !== me.faction) continue;
    effects.push({ type: 'send', to: b.id, message: { type: 'signal', topic: CALL_GUARDS_TOPIC, from: ctx.self, data: from } });
  }
  return { state: { ...state, alarm, nextCallAt: ctx.time + CALL_EVERY }, effects };
}

/** A villager's call for help about `data` (the attacker): a guard not already fighting answers when it can. */
function answerCall(state: NpcState, from: ActorId, data: unknown, ctx: Ctx): Transition<NpcState> {
  const me = ctx.body;
  const caller = ctx.bodyOf(from);
  // Only its own people's calls count; peaceful NPCs hear them too and do nothing.
  if (state.dead || !me || !caller || caller.faction !== me.faction || npcStance(ctx.params) !== 'guard') return { state };
  return typeof data === 'number' ? defend(state, data, ctx) : { state };
}

/** Take on `target` unless already fighting someone alive, or it is no foe, or beyond the leash of home. */
function defend(state: NpcState, target: ActorId, ctx: Ctx): Transition<NpcState> {
  const me = ctx.body;
  const t = ctx.bodyOf(target);
  const busy = state.alarm?.mode === 'defend' && ctx.bodyOf(state.alarm.target)?.alive === true;
  if (busy || !me || !t || !t.alive || target === ctx.self || t.faction === me.faction || !leashed(me, t, danger(ctx).leash)) return { state };
  const nextAttack = state.alarm?.mode === 'defend' ? state.alarm.nextAttack : 0;
  return { state: { ...state, alarm: { mode: 'defend', target, nextAttack } }, effects: [{ type: 'emit', event: { kind: 'bark', text: ctx.rng.pick(GUARD_CRIES) } }] };
}

/** Whether `t` is within `leash` of `me`'s home. */
function leashed(me: Readonly<Body>, t: Readonly<Body>, leash: number): boolean {
  return (t.x - me.homeX) ** 2 + (t.y - me.homeY) ** 2 <= leash * leash;
}

/** A tick in danger: run, fight, or walk home. */
function alarmed(state: NpcState, alarm: NpcAlarm, ctx: Ctx): Transition<NpcState> {
  const me = ctx.body;
  if (!me) return { state: { ...state, alarm: null } };
  switch (alarm.mode) {
    case 'flee': {
      const from = ctx.bodyOf(alarm.from);
      if (ctx.time >= alarm.until || !from || !from.alive) return goHome(state, ctx);
      const dx = me.x - from.x;
      const dy = me.y - from.y;
      const d = Math.sqrt(dx * dx + dy * dy);
      // Standing right on the attacker: any fixed way out will do.
      return d > 1e-9 ? velocity(state, me, (dx / d) * me.speed, (dy / d) * me.speed) : velocity(state, me, me.speed, 0);
    }
    case 'defend': {
      const p = danger(ctx);
      const t = ctx.bodyOf(alarm.target);
      if (!t || !t.alive || !leashed(me, t, p.leash)) {
        const r = goHome(state, ctx);
        return { state: r.state, effects: [{ type: 'emit', event: { kind: 'bark', text: ctx.rng.pick(GIVE_UP_LINES) } }, ...(r.effects ?? [])] };
      }
      const dx = t.x - me.x;
      const dy = t.y - me.y;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d > p.attackRange + me.radius + t.radius) return velocity(state, me, (dx / d) * me.speed, (dy / d) * me.speed);
      const stop = velocity(state, me, 0, 0);
      if (ctx.time < alarm.nextAttack) return stop;
      return {
        state: { ...state, alarm: { ...alarm, nextAttack: ctx.time + p.cooldown } },
        effects: [...(stop.effects ?? []), { type: 'attack', target: t.id, damage: p.damage, range: p.attackRange }],
      };
    }
    case 'home': {
      const dx = me.homeX - me.x;
      const dy = me.homeY - me.y;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d <= AT_HOME || ctx.time >= alarm.until) return velocity({ ...state, alarm: null, nextTurn: ctx.time + 1 }, me, 0, 0);
      // Slow down on the last step so as not to overshoot.
      const speed = Math.min(me.speed, d / ctx.dt);
      return velocity(state, me, (dx / d) * speed, (dy / d) * speed);
    }
  }
}

/** Start walking home. */
function goHome(state: NpcState, ctx: Ctx): Transition<NpcState> {
  const alarm: NpcAlarm = { mode: 'home', until: ctx.time + HOME_WITHIN };
  return alarmed({ ...state, alarm }, alarm, ctx);
}

/** `state`, with a move effect when the body's velocity is not (vx, vy) already. */
function velocity(state: NpcState, me: Readonly<Body>, vx: number, vy: number): Transition<NpcState> {
  if (Math.abs(vx - me.vx) < 1e-6 && Math.abs(vy - me.vy) < 1e-6) return { state };
  return { state, effects: [{ type: 'move', vx, vy }] };
}
