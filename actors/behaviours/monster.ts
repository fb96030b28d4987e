import { z } from 'zod';
import { UNCHANGED } from '../behaviour.ts';
import type { ActorContext, Behaviour, Transition } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { Effect } from '../effects.ts';
import type { ActorId } from '../ids.ts';
import { NO_ACTOR } from '../ids.ts';
import { MIND_PORTS } from '../ports.ts';
import { MOVED } from '../messages.ts';
import type { Action, Personality, PlayerMemory, Traits } from '../ports.ts';
import { askChat, chatReplyOf, displayName, nameOf, remember } from './chatMemory.ts';
import { askPersonality, decisionOf, perceive, personaOf, personalityOf } from './monsterMind.ts';
import { HELP_TOPIC, LEADER_DOWN_TOPIC, ORDER_TOPIC, PACK_TOPIC, TARGET_TOPIC } from '../coordinator/plan.ts';
import type { Order } from '../coordinator/plan.ts';
import { followOrder, orderOf, packInfoOf, tellMates } from './monsterOrders.ts';
import type { OrderMoves } from './monsterOrders.ts';
import type { PackInfo } from './monsterOrders.ts';
import { neutralWith, TraitOverridesParamSchema, withOverrides } from './traitOverrides.ts';
import { cachedTraitEffects } from './traitEffects.ts';
import type { TraitEffects } from './traitEffects.ts';

/** Tunables of a monster, shared by every monster of a species. Distances in world units, times in seconds. */
export const MonsterParamsSchema = z.object({
  /** Notices hostile bodies within this radius. */
  perception: z.number().positive().max(64).default(8),
  /** Gives up a chase beyond perception × this factor (scaled by aggression). */
  leash: z.number().min(1).max(4).default(1.5),
  /** Reach of an attack, edge to edge. */
  attackRange: z.number().nonnegative().max(16).default(0.6),
  damage: z.number().nonnegative().max(10_000).default(10),
  /** Seconds between attacks. */
  cooldown: z.number().positive().max(60).default(1),
  /** Flees from threats while hp is below this fraction of max hp (scaled by courage). */
  fleeBelow: z.number().min(0).max(1).default(0.25),
  /** Seconds from death to respawn. */
  respawnDelay: z.number().positive().max(3600).default(10),
  /** Wandering speed as a fraction of the body's speed. */
  wanderSpeed: z.number().min(0).max(1).default(0.4),
  /** Wanders back toward home when farther than this. */
  homeRadius: z.number().positive().max(1024).default(24),
  /** Chance (0..1) that an idle monster rests (grazes, sleeps) for 3–10 s instead of walking on for 1–4 s. */
  restChance: z.number().min(0).max(1).default(0.6),
  /** Layer 3 (the decision model) runs only while a player is within this radius; otherwise reflexes only. */
  activation: z.number().min(0).max(256).default(20),
  /** Seconds between decisions while awake. */
  thinkEvery: z.number().positive().max(30).default(0.5),
  /** Seconds a mind may take before the monster gives up on that answer. */
  mindTimeout: z.number().positive().max(30).default(2),
  /** Ask for a personality after spawn (layer 2). */
  personality: z.boolean().default(true),
  /** Traits forced by a designer (scenario trait overrides); the others come from the personality. */
  traits: TraitOverridesParamSchema.optional(),
}).strict();

export type MonsterParams = z.output<typeof MonsterParamsSchema>;

/** What a monster is doing. */
export type MonsterMode = 'wander' | 'chase' | 'fight' | 'flee' | 'dead';

export interface MonsterState {
  readonly mode: MonsterMode;
  /** Current target, or 0. */
  readonly target: ActorId;
  /** Time of the next allowed attack. */
  readonly nextAttack: number;
  /** Time to pick a new wandering heading (or to stop resting). */
  readonly nextTurn: number;
  /** Idle and standing still until `nextTurn`. */
  readonly resting: boolean;
  /** Waypoints around an obstacle toward the target (flat x, y list in world units), or null. */
  readonly path: readonly number[] | null;
  /** Index of the next waypoint in `path`. */
  readonly pathStep: number;
  /** Earliest time to ask for another path. */
  readonly nextPathAt: number;
  /** Layer 2: traits, temperament and voice, once they arrived. */
  readonly personality: Personality | null;
  /** The personality was asked for (once). */
  readonly personalityAsked: boolean;
  /** A player is within activation range: layer 3 decides (level of detail). */
  readonly awake: boolean;
  /** Time of the next level-of-detail check and decision. */
  readonly nextThink: number;
  /** Layer-3 decision in force until `decisionUntil`. */
  readonly decision: Action | null;
  readonly decisionUntil: number;
  /** Time it was last hit. */
  readonly lastHitAt: number;
  /** The player whose line it is answering, or 0. */
  readonly chatWith: ActorId;
  /** That player's display name and line. */
  readonly chatName: string;
  readonly chatText: string;
  /** What it remembers of players, by actor id. */
  readonly memory: Readonly<Record<string, PlayerMemory>>;
  /** Layer 4: the coordinator's order in force until `order.until`, or null. */
  readonly order: Order | null;
  /** Its pack, once a coordinator told it the roster, or null. */
  readonly pack: PackInfo | null;
  /** Earliest time to call the pack for help again. */
  readonly nextHelpAt: number;
}

/** Seconds between two calls for help to the pack. */
const HELP_EVERY = 2;

/** Seconds between path requests while blocked, and after a search failed. */
const PATH_RETRY = 2;
/** A path is dropped when the target has moved this far (world units) from its end. */
const PATH_DRIFT = 4;
/** Above this disposition a monster leaves that player alone. */
const FRIENDLY = 0.5;

const BARKS = ['Grrr…', 'Hsss!', '*snarls*', '*bares its teeth*', '*growls low*'] as const;

/** The memory of a monster that has met no one (shared, so the common case costs nothing). */
const NO_MEMORY: Readonly<Record<string, PlayerMemory>> = Object.freeze({});

const hostile = (c: Readonly<Body>, me: Readonly<Body>): boolean => c.faction !== me.faction;
const mate = (c: Readonly<Body>, me: Readonly<Body>): boolean => c.faction === me.faction;

/**
 * The state the tick being handled began with (set on entry to each tick). The reflexes go through several
 * helpers that may or may not make a new state; {@link keep} turns "still the state the tick began with" into
 * the shared UNCHANGED instead of a new `{ state }`: most monsters, most ticks, change nothing.
 */
let tickState: MonsterState | null = null;

/** `{ state }`, or UNCHANGED when `state` is the one the current tick began with. */
const keep = (state: MonsterState): Transition<MonsterState> => (state === tickState ? UNCHANGED : { state });

/** The state a transition of the current tick leaves (UNCHANGED leaves the one the tick began with). */
const stateAfter = (t: Transition<MonsterState>): MonsterState => (t === UNCHANGED ? (tickState as MonsterState) : t.state);

/**
 * A monster. Reflexes every tick: wander around home; notice the nearest hostile within perception; chase it
 * (around walls by path finding) and attack with a cooldown; flee while badly hurt; retreat-and-regroup; die at
 * 0 hp and respawn after a delay. Layer 2 gives it a personality after spawn: its traits set the reflexes'
 * numbers (see {@link cachedTraitEffects}: when it flees, how near a foe must come before it engages, how close it
 * keeps to its pack, how wide it flanks), whatever mind decides. While a player is near, layer 3 decides what to do every `thinkEvery` seconds (attack, flank,
 * hold, retreat, call the pack …), and it answers players who talk to it, remembering each of them.
 */
export const monsterBehaviour: Behaviour<MonsterState, MonsterParams> = {
  name: 'monster',
  params: MonsterParamsSchema as unknown as z.ZodType<MonsterParams>,
  init: () => ({
    mode: 'wander', target: NO_ACTOR, nextAttack: 0, nextTurn: 0, resting: false, path: null, pathStep: 0, nextPathAt: 0,
    personality: null, personalityAsked: false, awake: false, nextThink: 0, decision: null, decisionUntil: 0,
    lastHitAt: -60, chatWith: NO_ACTOR, chatName: '', chatText: '', memory: NO_MEMORY, order: null, pack: null, nextHelpAt: 0,
  }),
  receive(state, message, ctx) {
    switch (message.type) {
      case 'tick': {
        if (state.mode === 'dead') return UNCHANGED;
        tickState = state;
        let t: Transition<MonsterState>;
        if (!state.personalityAsked && ctx.params.personality) {
          const r = reflexes({ ...state, personalityAsked: true }, ctx);
          t = { state: stateAfter(r), effects: [askPersonality(ctx, ctx.params.mindTimeout), ...(r.effects ?? [])] };
        } else {
          t = reflexes(state, ctx);
        }
        tickState = null;
        return t;
      }
      case 'hit': {
        if (state.mode === 'dead') return UNCHANGED;
        const next = { ...state, lastHitAt: ctx.time, target: state.target === NO_ACTOR ? message.from : state.target };
        // In a pack: call the mates for help (rate-limited).
        if (state.pack && ctx.time >= state.nextHelpAt) {
          return { state: { ...next, nextHelpAt: ctx.time + HELP_EVERY }, effects: tellMates(ctx.self, state.pack.mates, HELP_TOPIC, message.from) };
        }
        return { state: next };
      }
      case 'died': {
        const effects: Effect[] = [{ type: 'timer', key: 'respawn', delay: ctx.params.respawnDelay }];
        if (state.pack && state.pack.leader === ctx.self) effects.push(...tellMates(ctx.self, state.pack.mates, LEADER_DOWN_TOPIC, ctx.self));
        return {
          state: { ...state, mode: 'dead', target: NO_ACTOR, path: null, decision: null, order: null },
          effects,
        };
      }
      case 'timer':
        if (message.key === 'respawn') return { state: { ...state, mode: 'wander', nextTurn: 0 }, effects: [{ type: 'respawn' }] };
        return UNCHANGED;
      case 'signal':
        return signal(state, message.topic, message.from, message.data, ctx);
      case 'reply':
        return reply(state, message, ctx);
      case 'path':
        if (state.mode !== 'chase') return UNCHANGED;
        return message.ok && message.waypoints.length >= 2
          ? { state: { ...state, path: message.waypoints, pathStep: 0 } }
          : { state: { ...state, path: null, nextPathAt: ctx.time + PATH_RETRY } };
      default:
        return UNCHANGED;
    }
  },
};

function signal(state: MonsterState, topic: string, from: ActorId, data: unknown, ctx: ActorContext<MonsterParams>): Transition<MonsterState> {
  if (state.mode === 'dead') return UNCHANGED;
  if (topic === 'talk') {
    const d = (data ?? {}) as { text?: unknown; name?: unknown };
    const text = typeof d.text === 'string' ? d.text : '';
    const name = typeof d.name === 'string' ? d.name : 'stranger';
    return { state: { ...state, chatWith: from, chatName: name, chatText: text }, effects: [askChat(ctx, personaOf(ctx, state.personality), state.memory, from, name, text, ctx.params.mindTimeout)] };
  }
  if (topic === HELP_TOPIC || (topic === TARGET_TOPIC && state.pack?.leader === ctx.self)) {
    // A pack mate calls (or reports a target to its leader): take on its target unless busy.
    const target = typeof data === 'number' ? data : NO_ACTOR;
    return target !== NO_ACTOR && state.target === NO_ACTOR ? { state: { ...state, target } } : UNCHANGED;
  }
  if (topic === ORDER_TOPIC) {
    const order = orderOf(data);
    const next = { ...state, order: order && { role: order.role, target: order.target, x: order.x, y: order.y, anchorX: order.anchorX, anchorY: order.anchorY, slot: order.slot, slots: order.slots, leader: order.leader, until: order.until }, path: null, pathStep: 0 };
    return order?.cry ? { state: next, effects: [{ type: 'emit', event: { kind: 'battleCry', text: order.cry.slice(0, 80) } }] } : { state: next };
  }
  if (topic === PACK_TOPIC) {
    const pack = packInfoOf(data, from);
    if (!pack) return UNCHANGED;
    // Tell the coordinator what kind of fighter it is (its traits, once known).
    const effects: Effect[] = state.personality ? [{ type: 'send', to: from, message: { type: 'signal', topic: 'traits', from: ctx.self, data: state.personality.traits } }] : [];
    return { state: { ...state, pack }, effects };
  }
  if (topic === LEADER_DOWN_TOPIC && state.pack) {
    // The next living member (lowest id, itself included) leads.
    let leader = ctx.self;
    for (const m of state.pack.mates) if (m < leader && ctx.bodyOf(m)?.alive) leader = m;
    return { state: { ...state, pack: { ...state.pack, leader } } };
  }
  return UNCHANGED;
}

function reply(state: MonsterState, message: Extract<Parameters<typeof monsterBehaviour.receive>[1], { type: 'reply' }>, ctx: ActorContext<MonsterParams>): Transition<MonsterState> {
  switch (message.port) {
    case MIND_PORTS.personality: {
      // Asked in another zone before it moved here: ask again on the next tick.
      if (!message.ok && message.error === MOVED) return { state: { ...state, personalityAsked: false } };
      const p = message.ok ? personalityOf(message.value) : null;
      return p ? { state: { ...state, personality: withOverrides(p, ctx.params.traits) } } : UNCHANGED;
    }
    case MIND_PORTS.think: {
      const d = message.ok ? decisionOf(message.value) : null;
      return d ? { state: { ...state, decision: d.action, decisionUntil: ctx.time + ctx.params.thinkEvery * 2 } } : UNCHANGED;
    }
    case MIND_PORTS.chat: {
      const player = state.chatWith;
      if (!message.ok && message.error === MOVED && player !== NO_ACTOR && state.mode !== 'dead') {
        return { state, effects: [askChat(ctx, personaOf(ctx, state.personality), state.memory, player, state.chatName, state.chatText, ctx.params.mindTimeout)] };
      }
      if (!message.ok || state.mode === 'dead') {
        return { state: { ...state, chatWith: NO_ACTOR }, effects: state.mode === 'dead' ? [] : [{ type: 'emit', event: { kind: 'bark', text: ctx.rng.pick(BARKS) } }] };
      }
      const v = chatReplyOf(message.value);
      const text = v ? v.reply : ctx.rng.pick(BARKS);
      const memory = player === NO_ACTOR || !v ? state.memory : remember(state.memory, player, { ...v, heard: v.heard || state.chatText, name: nameOf(state.memory[String(player)], state.chatName || displayName(ctx, player)), answered: text, time: ctx.time });
      return { state: { ...state, chatWith: NO_ACTOR, chatText: '', memory }, effects: [{ type: 'emit', event: { kind: 'say', text } }] };
    }
    default:
      return UNCHANGED;
  }
}

function reflexes(state: MonsterState, ctx: ActorContext<MonsterParams>): Transition<MonsterState> {
  const me = ctx.body;
  if (!me) return keep(state);
  const p = ctx.params;
  const traits = state.personality?.traits ?? neutralWith(p.traits);
  const memory = state.memory;
  const accept = hasFriends(memory) ? (c: Readonly<Body>, self: Readonly<Body>) => hostile(c, self) && !((memory[String(c.id)]?.disposition ?? 0) > FRIENDLY) : hostile;
  const threat = ctx.nearestFoe(p.perception, accept);
  const order = state.order && ctx.time < state.order.until ? state.order : null;

  // Level of detail: layer 3 runs only with a player near. Checked (and decided) every `thinkEvery` seconds.
  let effects: Effect[] | undefined;
  if (ctx.time >= state.nextThink) {
    const awake = p.activation > 0 && ctx.nearestPlayer(p.activation) !== undefined;
    // Asleep and staying asleep: nothing to write (the check is cheap and repeats next time).
    // Waking, the next think comes at a phase set by the actor's id, so monsters woken together do not all think
    // on the same later ticks (a burst of layer-3 requests and perceptions in one step).
    if (awake || state.awake) state = { ...state, awake, nextThink: ctx.time + p.thinkEvery * (awake && !state.awake ? 0.5 + thinkPhase(ctx.self) : 1) };
    if (awake) {
      effects = [{ type: 'ask', port: MIND_PORTS.think, payload: { perception: perceive(ctx, me, p.perception, threat, state.lastHitAt, order?.role ?? 'none'), traits }, timeout: p.mindTimeout }];
    }
  }
  const decision = state.decision && ctx.time < state.decisionUntil ? state.decision : null;
  const r = act(state, ctx, me, threat, decision, traits, accept, order);
  // In a pack: report a newly seen target to the leader.
  const pack = state.pack;
  const target = stateAfter(r).target;
  if (pack && state.target === NO_ACTOR && target !== NO_ACTOR && pack.leader !== ctx.self) {
    effects = [...(effects ?? []), { type: 'send', to: pack.leader, message: { type: 'signal', topic: TARGET_TOPIC, from: ctx.self, data: target } }];
  }
  if (!effects) return r;
  return { state: stateAfter(r), effects: r.effects ? [...effects, ...r.effects] : effects };
}

/** A fraction in [0, 1) spread evenly over consecutive ids (golden-ratio sequence). */
function thinkPhase(id: number): number {
  const f = id * 0.6180339887498949;
  return f - Math.floor(f);
}

function hasFriends(memory: Readonly<Record<string, PlayerMemory>>): boolean {
  if (memory === NO_MEMORY) return false;
  for (const k in memory) if ((memory[k] as PlayerMemory).disposition > FRIENDLY) return true;
  return false;
}

/**
 * Reflexes, shaped by the current layer-3 decision (if any) and the traits. It takes the whole traits object, not
 * numbers worked out of it: a fractional number passed to a call that is not inlined is boxed, one allocation per
 * monster per tick; the trait effects are read off a cached object.
 */
function act(
  state: MonsterState, ctx: ActorContext<MonsterParams>, me: Readonly<Body>, threat: Readonly<Body> | undefined, decision: Action | null, traits: Traits,
  accept: (c: Readonly<Body>, self: Readonly<Body>) => boolean, order: Order | null = null,
): Transition<MonsterState> {
  const p = ctx.params;
  const fx = cachedTraitEffects(traits, p);
  // Braver monsters flee later (courage). The reflex overrides any order; a layer-3 retreat only fills the gap when there is no order.
  if (threat && (me.hp < fx.fleeBelow * me.maxHp || (decision === 'retreat' && !order))) {
    const dx = me.x - threat.x;
    const dy = me.y - threat.y;
    const d = Math.sqrt(dx * dx + dy * dy) || 1;
    return withMove({ ...state, mode: 'flee', target: NO_ACTOR }, me, (dx / d) * me.speed, (dy / d) * me.speed);
  }

  if (order) {
    const followed = followOrder(state, ctx, me, order, threat, state.pack?.leader ?? order.leader, accept, ORDER_MOVES);
    if (followed) return followed;
  }

  let target: Readonly<Body> | undefined;
  if (state.target !== NO_ACTOR) {
    const t = ctx.bodyOf(state.target);
    const leash = fx.leash;
    if (t && t.alive && (t.x - me.x) ** 2 + (t.y - me.y) ** 2 <= leash * leash && accept(t, me)) target = t;
  }
  // A new foe is taken on only within the engage range (aggression), or once it is within reach.
  if (!target && threat && decision !== 'wander') {
    const engage = Math.max(fx.engageRange, p.attackRange + me.radius + threat.radius);
    if ((threat.x - me.x) ** 2 + (threat.y - me.y) ** 2 <= engage * engage) target = threat;
  }

  if (target) {
    const dx = target.x - me.x;
    const dy = target.y - me.y;
    const d = Math.sqrt(dx * dx + dy * dy);
    const reach = p.attackRange + me.radius + target.radius;
    if (d <= reach) return strike(state, ctx, me, target);
    if (decision === 'hold') {
      const next = state.target === target.id ? state : { ...state, target: target.id };
      return withMove(next, me, 0, 0);
    }
    if (decision === 'callPack' && state.decisionUntil > ctx.time) {
      const r = chase(state, ctx, me, target, dx, dy, d, 0);
      const call: Effect[] = [{ type: 'emit', event: { kind: 'bark', text: 'Awoooo!' } }];
      for (const ally of ctx.within(me.x, me.y, p.perception * 2)) {
        if (ally.id !== me.id && ally.faction === me.faction) call.push({ type: 'send', to: ally.id, message: { type: 'signal', topic: 'help', from: me.id, data: target.id } });
      }
      // Call once per decision.
      return { state: { ...stateAfter(r), decision: null }, effects: [...call, ...(r.effects ?? [])] };
    }
    const flank = decision === 'flankLeft' ? fx.flankAngle : decision === 'flankRight' ? -fx.flankAngle : 0;
    return chase(state, ctx, me, target, dx, dy, d, d > reach * 3 ? flank : 0, d > reach * 3 ? waitFactor(ctx, me, target, d, fx) : 1);
  }

  // Idle: rest a while, or walk a new heading for a few seconds (at once when a wall stopped us); drift home when far.
  if (ctx.time < state.nextTurn && state.mode === 'wander' && (state.resting || me.vx !== 0 || me.vy !== 0)) return keep(state);
  const rng = ctx.rng;
  const hx = me.homeX - me.x;
  const hy = me.homeY - me.y;
  const speed = me.speed * p.wanderSpeed;
  // Sociability: walk toward the nearest pack mate when farther than the spacing it keeps, away from it when a loner
  // has it too near (unless far from home: home comes first).
  const ally = hx * hx + hy * hy > p.homeRadius * p.homeRadius || (fx.keepWithin === Infinity && fx.keepApart === 0) ? undefined : ctx.nearest(p.perception, mate);
  if (ally && speed > 0) {
    const ax = ally.x - me.x;
    const ay = ally.y - me.y;
    const d = Math.sqrt(ax * ax + ay * ay);
    const away = d < fx.keepApart;
    if (d > fx.keepWithin || away) {
      const angle = Math.atan2(ay, ax) + (away ? Math.PI : 0) + rng.float(-0.3, 0.3);
      // Walk about as long as it takes to close (or open) the gap.
      const gap = away ? fx.keepApart - d : d - fx.keepWithin;
      return withMove(
        { ...state, mode: 'wander', target: NO_ACTOR, resting: false, nextTurn: ctx.time + Math.min(4, Math.max(0.5, gap / speed)), path: null, pathStep: 0 },
        me,
        Math.cos(angle) * speed,
        Math.sin(angle) * speed,
      );
    }
  }
  if (state.mode === 'wander' && !state.resting && rng.chance(p.restChance)) {
    return withMove({ ...state, target: NO_ACTOR, resting: true, nextTurn: ctx.time + rng.float(3, 10), path: null, pathStep: 0 }, me, 0, 0);
  }
  const angle = hx * hx + hy * hy > p.homeRadius * p.homeRadius
    ? Math.atan2(hy, hx) + rng.float(-0.5, 0.5)
    : rng.float(0, 2 * Math.PI);
  return withMove(
    { ...state, mode: 'wander', target: NO_ACTOR, resting: false, nextTurn: ctx.time + rng.float(1, 4), path: null, pathStep: 0 },
    me,
    Math.cos(angle) * speed,
    Math.sin(angle) * speed,
  );
}

/**
 * Sociability while chasing: the fraction of its speed to run at, below 1 when a pack mate lags behind (farther from
 * the target than itself by more than the spacing it keeps) so the mate can catch up.
 */
function waitFactor(ctx: ActorContext<MonsterParams>, me: Readonly<Body>, target: Readonly<Body>, d: number, fx: TraitEffects): number {
  if (fx.waitSpeed >= 1) return 1;
  const ally = ctx.nearest(ctx.params.perception, mate);
  if (!ally) return 1;
  const ad = Math.sqrt((target.x - ally.x) ** 2 + (target.y - ally.y) ** 2);
  return ad > d + fx.keepWithin ? fx.waitSpeed : 1;
}

/** Stand and hit `target` (within reach) when the cooldown allows. */
function strike(state: MonsterState, ctx: ActorContext<MonsterParams>, me: Readonly<Body>, target: Readonly<Body>): Transition<MonsterState> {
  const p = ctx.params;
  let effects: Effect[] | undefined;
  if (me.vx !== 0 || me.vy !== 0) effects = [{ type: 'move', vx: 0, vy: 0 }];
  let nextAttack = state.nextAttack;
  if (ctx.time >= nextAttack) {
    (effects ??= []).push({ type: 'attack', target: target.id, damage: p.damage, range: p.attackRange });
    nextAttack = ctx.time + p.cooldown;
  }
  const next = state.mode === 'fight' && state.target === target.id && nextAttack === state.nextAttack
    ? state
    : { ...state, mode: 'fight' as const, target: target.id, nextAttack };
  return effects ? { state: next, effects } : keep(next);
}

/**
 * Run at the target: straight at it (turned by `flank` radians to come at its side), or along a found path when
 * a wall was in the way. A body the terrain stopped dead while chasing asks for a path (at most every PATH_RETRY
 * seconds).
 */
function chase(
  state: MonsterState, ctx: ActorContext<MonsterParams>, me: Readonly<Body>, target: Readonly<Body>, dx: number, dy: number, d: number, flank: number, pace = 1,
): Transition<MonsterState> {
  let next = state.mode === 'chase' && state.target === target.id ? state : { ...state, mode: 'chase' as const, target: target.id, path: null, pathStep: 0 };
  const path = next.path;
  if (path) {
    const endX = path[path.length - 2] as number;
    const endY = path[path.length - 1] as number;
    let i = next.pathStep;
    if ((endX - target.x) ** 2 + (endY - target.y) ** 2 > PATH_DRIFT * PATH_DRIFT) i = path.length; // stale: the target moved on
    while (i < path.length && ((path[i] as number) - me.x) ** 2 + ((path[i + 1] as number) - me.y) ** 2 < 0.25) i += 2;
    if (i < path.length) {
      if (i !== next.pathStep) next = { ...next, pathStep: i };
      const wx = (path[i] as number) - me.x;
      const wy = (path[i + 1] as number) - me.y;
      const s = me.speed / (Math.sqrt(wx * wx + wy * wy) || 1);
      return withMove(next, me, wx * s, wy * s);
    }
    next = { ...next, path: null, pathStep: 0 };
  }
  if (state.mode === 'chase' && me.vx === 0 && me.vy === 0 && ctx.time >= state.nextPathAt) {
    return { state: { ...next, nextPathAt: ctx.time + PATH_RETRY }, effects: [{ type: 'findPath', x: target.x, y: target.y }] };
  }
  const s = (me.speed * pace) / (d || 1);
  if (flank === 0) return withMove(next, me, dx * s, dy * s);
  const c = Math.cos(flank);
  const sn = Math.sin(flank);
  return withMove(next, me, (dx * c - dy * sn) * s, (dx * sn + dy * c) * s);
}

/** The monster's own movement and combat, for following coordinator orders. */
const ORDER_MOVES: OrderMoves<MonsterState> = {
  chase: (s, ctx, me, t) => {
    const dx = t.x - me.x;
    const dy = t.y - me.y;
    return chase(s, ctx as ActorContext<MonsterParams>, me, t, dx, dy, Math.sqrt(dx * dx + dy * dy), 0);
  },
  move: (s, me, vx, vy) => withMove(s.mode === 'wander' || s.mode === 'flee' ? s : { ...s, mode: 'wander', resting: false }, me, vx, vy),
  strike: (s, ctx, me, t) => strike(s, ctx as ActorContext<MonsterParams>, me, t),
  reach: (ctx, me, t) => (ctx as ActorContext<MonsterParams>).params.attackRange + me.radius + t.radius,
};

/** A transition that sets the velocity, emitting a move effect only when it actually changes. */
function withMove(state: MonsterState, me: Readonly<Body>, vx: number, vy: number): Transition<MonsterState> {
  if (Math.abs(vx - me.vx) < 1e-6 && Math.abs(vy - me.vy) < 1e-6) return keep(state);
  return { state, effects: [{ type: 'move', vx, vy }] };
}
