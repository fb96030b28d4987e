import { z } from 'zod';
import type { ActorContext, Behaviour, Transition } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { Effect } from '../effects.ts';
import type { WorldInput } from '../inputs.ts';
import type { ActorId } from '../ids.ts';
import type { ReplyMessage } from '../messages.ts';
import { MIND_PORTS } from '../ports.ts';
import type { OrderKind, Traits } from '../ports.ts';
import { buildBattleContext } from './battleContext.ts';
import type { BattleContext } from './battleContext.ts';
import { detectEngagements, leaderOf, rosterAround } from './engagement.ts';
import { ORDER_TOPIC, PACK_TOPIC, TACTICIAN_SOURCE } from './plan.ts';
import type { Order, Plan, PlanPayer, PlanReply, PlanRequest, PlanSource } from './plan.ts';
import { battlePayers } from './payers.ts';
import { localTactician } from './tactician.ts';
import { validatePlan } from './validatePlan.ts';
import type { PlanWorld } from './validatePlan.ts';

/** Tunables of a room coordinator. Distances in world units, times in seconds of simulation time. */
export const CoordinatorParamsSchema = z.object({
  /** A pack engages when a member is within this distance of a player. */
  engageRange: z.number().positive().max(128).default(12),
  /** ... and disengages when no player is within this distance of any member. */
  disengageRange: z.number().positive().max(256).default(24),
  /** Seconds between scans for engagements; each open pack is also looked after once in this period. */
  scanEvery: z.number().positive().max(10).default(0.5),
  /** Least seconds between two plans of one pack (re-planning on events is rate-limited by it). */
  replanEvery: z.number().positive().max(60).default(2),
  /** Least seconds between two asks on the `plan` port for one pack. */
  cloudEvery: z.number().positive().max(600).default(8),
  /** Seconds a `plan` answer may take; a later one is dropped. */
  planTimeout: z.number().positive().max(30).default(3),
  /** Ask the `plan` port (cloud tactics through the gateway) at all. */
  askCloud: z.boolean().default(true),
  /** The room's LLM tier and budget (USD over the room's life), passed on to the `plan` mind. */
  tier: z.string().min(1).max(32).default('free'),
  budgetUsd: z.number().min(0).max(1000).default(0.05),
  /** Room id, for the gateway's budgets and telemetry. */
  room: z.string().min(1).max(128).default('room'),
  /** A pack's roster is the members with its tag within this distance of the first member seen. */
  rosterRadius: z.number().positive().max(256).default(24),
  /**
   * Most packs coordinated at once. Packs beyond it get nothing from the coordinator (no roster, so no help calls
   * or target reports either, and no orders): they fight on their own minds.
   */
  maxPacks: z.number().int().min(1).max(10_000).default(64),
  /**
   * Plan pack tactics. When false the coordinator still finds engagements, tells members their roster and new
   * leaders (so they call each other for help and report targets) and closes packs that leave the fight, but it
   * never plans, never asks the `plan` port and sends no orders: packs with their communication, without a tactician.
   */
  tactics: z.boolean().default(true),
}).strict();

export type CoordinatorParams = z.output<typeof CoordinatorParamsSchema>;

/** A plan in force for a pack. */
export interface ActivePlan {
  /** Increases with every plan the coordinator applies (any pack). */
  readonly seq: number;
  readonly plan: Plan;
  readonly source: PlanSource;
  /** Simulation time (s) it was applied and until which it stands. */
  readonly madeAt: number;
  readonly expiresAt: number;
  /** The origin its offsets are relative to (world units). */
  readonly origin: { readonly x: number; readonly y: number };
  /** What validation changed, with reasons. */
  readonly repairs: readonly string[];
}

/** A `plan` ask in flight for a pack, with the battle as it was then (to tell a stale answer). */
export interface PendingPlan {
  readonly askedAt: number;
  readonly alive: number;
  readonly players: readonly ActorId[];
  readonly origin: { readonly x: number; readonly y: number };
}

/** One engaged pack. */
export interface PackRecord {
  readonly pack: string;
  /** Roster, ascending. */
  readonly members: readonly ActorId[];
  readonly leader: ActorId;
  /** Players engaged, ascending. */
  readonly players: readonly ActorId[];
  readonly since: number;
  /** Living members at the last scan. */
  readonly alive: number;
  readonly plan: ActivePlan | null;
  readonly nextPlanAt: number;
  readonly nextCloudAt: number;
  readonly pending: PendingPlan | null;
  /** It fell back once this engagement. */
  readonly retreated: boolean;
  /** Something significant happened since the last plan: re-plan as soon as the rate limit allows. */
  readonly dirty: boolean;
  /** Recent happenings (for the planners), oldest first. */
  readonly events: readonly string[];
  /** The last cloud outcome, for inspectors (`accepted openai:gpt-4o-mini`, `refused: …`). */
  readonly note: string;
}

/** Counters since the coordinator started. */
export interface CoordinatorStats {
  readonly engagements: number;
  readonly tacticianPlans: number;
  readonly cloudAsked: number;
  /** Cloud plans applied (valid, possibly repaired). */
  readonly cloudAccepted: number;
  /** Cloud plans refused by validation. */
  readonly cloudRejected: number;
  /** Answers that came after the battle changed too much. */
  readonly cloudStale: number;
  /** Error replies: timeouts, refusals, outages. */
  readonly cloudFailed: number;
  /** Answers the gateway gave from its local handler (tier, budget or outage): the tactician's plan stands. */
  readonly cloudLocal: number;
  readonly repairs: number;
}

export interface CoordinatorState {
  readonly nextScan: number;
  readonly seq: number;
  readonly packs: Readonly<Record<string, PackRecord>>;
  /** Traits members reported, by member id. */
  readonly traits: Readonly<Record<string, Traits>>;
  readonly stats: CoordinatorStats;
}

const EVENTS_KEPT = 8;
const NO_STATS: CoordinatorStats = Object.freeze({ engagements: 0, tacticianPlans: 0, cloudAsked: 0, cloudAccepted: 0, cloudRejected: 0, cloudStale: 0, cloudFailed: 0, cloudLocal: 0, repairs: 0 });

type Ctx = ActorContext<CoordinatorParams>;

const alive = (ctx: Ctx) => (id: ActorId): boolean => ctx.bodyOf(id)?.alive === true;
const sameIds = (a: readonly ActorId[], b: readonly ActorId[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const withEvent = (events: readonly string[], e: string): string[] => [...events, e].slice(-EVENTS_KEPT);
const bump = (s: CoordinatorStats, k: keyof CoordinatorStats, n = 1): CoordinatorStats => ({ ...s, [k]: s[k] + n });

/**
 * The room coordinator (layer 4): one bodiless actor per room. Every `scanEvery` seconds it finds packs within
 * range of players, tells each member its roster, builds a compact battle context, plans at once with the local
 * tactician and sends every member its order; it also asks the `plan` port (cloud tactics through the gateway)
 * and, when a valid answer arrives in time and the battle has not changed too much, replaces the tactician's
 * plan with it. Plans are re-made on significant events (a member falls, the leader falls, players come or go,
 * the pack is beaten) and when they expire, rate-limited per pack. Answers reach it only as replies, so a
 * recorded run replays to the same state.
 * With `tactics: false` it keeps the rosters and leaders (and the pack records) but plans nothing and sends no
 * orders, so packs talk to each other as coordinated ones do, without a tactician.
 * Each open pack is looked after (who is still in the fight, what changed, whether to re-plan) once per
 * `scanEvery` too, but packs take turns over the ticks in between, so a room with dozens of battles does not pay
 * for all of them on one tick.
 */
export const coordinatorBehaviour: Behaviour<CoordinatorState, CoordinatorParams> = {
  name: 'coordinator',
  params: CoordinatorParamsSchema as unknown as z.ZodType<CoordinatorParams>,
  init: () => ({ nextScan: 0, seq: 0, packs: {}, traits: {}, stats: NO_STATS }),
  receive(state, message, ctx) {
    switch (message.type) {
      case 'tick': {
        const due = ctx.time + 1e-9 >= state.nextScan;
        if (due) return scan({ ...state, nextScan: ctx.time + ctx.params.scanEvery }, ctx, true);
        return anyTurn(state.packs, ctx) ? scan(state, ctx, false) : { state };
      }
      case 'reply':
        return message.port === MIND_PORTS.plan ? onPlanReply(state, message, ctx) : { state };
      case 'signal':
        if (message.topic === 'traits') {
          const t = traitsOf(message.data);
          return t ? { state: { ...state, traits: { ...state.traits, [String(message.from)]: t } } } : { state };
        }
        return { state };
      default:
        return { state };
    }
  },
};

function traitsOf(v: unknown): Traits | null {
  const t = v as Partial<Traits> | null;
  if (!t || typeof t !== 'object') return null;
  for (const k of ['aggression', 'courage', 'sociability', 'greed', 'curiosity', 'cunning'] as const) if (typeof t[k] !== 'number' || !Number.isFinite(t[k])) return null;
  return t as Traits;
}

/**
 * Which of the `turns` ticks of a scan period looks after pack `key`: a hash of the key, so the packs of a
 * room spread evenly over the period whatever order they were opened in.
 */
function packTurn(key: string, turns: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % turns;
}

/** How many ticks a scan period spans: each open pack is looked after on one of them. */
const turnsOf = (ctx: Ctx): number => Math.max(1, Math.round(ctx.params.scanEvery / ctx.dt));

/** Whether some open pack is due to be looked after this tick. */
function anyTurn(packs: Readonly<Record<string, PackRecord>>, ctx: Ctx): boolean {
  const turns = turnsOf(ctx), turn = ctx.tick % turns;
  for (const key in packs) if (packTurn(key, turns) === turn) return true;
  return false;
}

/**
 * One tick of the coordinator: when `detect`, find engagements and open records for new packs (planned at once);
 * then look after the packs whose turn it is (and the new ones): close those out of the fight, note what
 * changed, and re-plan where something significant happened or the plan ran out.
 */
function scan(state: CoordinatorState, ctx: Ctx, detect: boolean): Transition<CoordinatorState> {
  const p = ctx.params;
  const effects: Effect[] = [];
  const packs: Record<string, PackRecord> = { ...state.packs };
  let stats = state.stats;
  const isAlive = alive(ctx);
  const engaged = detect ? detectEngagements(ctx, p.engageRange) : [];
  const open = Object.keys(packs).length;
  let opened = 0;
  const turns = turnsOf(ctx), turn = ctx.tick % turns;
  for (const e of engaged) {
    if (packs[e.pack]) continue;
    if (open + opened >= p.maxPacks) break;
    const first = ctx.bodyOf(e.near[0] as ActorId) as Readonly<Body>;
    const members = [...new Set([...rosterAround(ctx, e.pack, first.x, first.y, p.rosterRadius), ...e.near])].sort((a, b) => a - b);
    const leader = leaderOf(members, isAlive);
    packs[e.pack] = {
      pack: e.pack, members, leader, players: e.players, since: ctx.time, alive: members.filter(isAlive).length, plan: null,
      nextPlanAt: ctx.time, nextCloudAt: ctx.time, pending: null, retreated: false, dirty: true, events: [`players ${e.players.join(', ')} engage the pack`], note: '',
    };
    opened++;
    stats = bump(stats, 'engagements');
    for (const m of members) if (isAlive(m)) effects.push(packSignal(ctx, m, e.pack, leader, members));
  }
  const engagedBy = new Map(engaged.map((e) => [e.pack, e]));
  const allPlayers = ctx.players();
  let seq = state.seq;
  for (const key of Object.keys(packs)) {
    let rec = packs[key] as PackRecord;
    if (rec.since !== ctx.time && packTurn(key, turns) !== turn) continue;
    const living = rec.members.filter(isAlive);
    if (living.length === 0) {
      delete packs[key];
      continue;
    }
    // Who is still in the fight: engaged players, or any player within the disengage range of a member.
    // (Engaged players count too: a designer may set engageRange beyond disengageRange.)
    const players = playersNear(ctx, allPlayers, living, engagedBy.get(key)?.players ?? [], Math.max(p.disengageRange, p.engageRange));
    if (players.length === 0) {
      delete packs[key];
      if (p.tactics) for (const m of living) effects.push({ type: 'send', to: m, message: { type: 'signal', topic: ORDER_TOPIC, from: ctx.self, data: null } });
      continue;
    }
    let significant = false;
    let events = rec.events;
    const leader = leaderOf(rec.members, isAlive);
    if (leader !== rec.leader) {
      events = withEvent(events, `leader ${rec.leader} fell; ${leader} leads`);
      for (const m of living) effects.push(packSignal(ctx, m, key, leader, rec.members));
      significant = true;
    }
    if (living.length < rec.alive) {
      events = withEvent(events, `${rec.alive - living.length} member(s) fell; ${living.length} left`);
      significant = true;
    }
    if (!sameIds(players, rec.players)) {
      events = withEvent(events, `players now ${players.join(', ')}`);
      significant = true;
    }
    const plan = rec.plan;
    if (plan && !rec.retreated && plan.plan.retreatBelow > 0 && packHpFraction(ctx, living) < plan.plan.retreatBelow) significant = true;
    rec = { ...rec, leader, players, alive: living.length, events, dirty: rec.dirty || significant };
    const due = !plan || rec.dirty || ctx.time + 1e-9 >= plan.expiresAt;
    if (p.tactics && due && ctx.time + 1e-9 >= rec.nextPlanAt) {
      const context = contextOf(ctx, state, rec, living, players);
      const made = localTactician(context, { retreated: rec.retreated });
      const check = validatePlan(made, planWorld(ctx, rec, living, players, context.origin));
      if (check.ok) {
        seq++;
        const applied = applyPlan(ctx, rec, check.plan, TACTICIAN_SOURCE, context.origin, check.repairs.map((r) => r.reason), seq, effects);
        rec = { ...applied, nextPlanAt: ctx.time + p.replanEvery, dirty: false };
        stats = bump(bump(stats, 'tacticianPlans'), 'repairs', check.repairs.length);
      }
      if (p.askCloud && !rec.pending && ctx.time + 1e-9 >= rec.nextCloudAt) {
        const payers = payersOf(ctx, living, players);
        const payload: PlanRequest = { context, tier: p.tier, budgetUsd: p.budgetUsd, room: p.room, ...(payers.length && { payers }), deadlineMs: Math.round(p.planTimeout * 1000) };
        effects.push({ type: 'ask', port: MIND_PORTS.plan, payload, timeout: p.planTimeout, key });
        rec = { ...rec, pending: { askedAt: ctx.time, alive: living.length, players, origin: context.origin }, nextCloudAt: ctx.time + p.cloudEvery };
        stats = bump(stats, 'cloudAsked');
      }
    }
    packs[key] = rec;
  }
  return { state: { ...state, packs, stats, seq }, effects };
}

function packSignal(ctx: Ctx, to: ActorId, pack: string, leader: ActorId, members: readonly ActorId[]): Effect {
  return { type: 'send', to, message: { type: 'signal', topic: PACK_TOPIC, from: ctx.self, data: { pack, leader, mates: members.filter((m) => m !== to) } } };
}

/** Players still in the fight, ascending: engaged ones plus any of `all` (the room's players) within `range` of a living member. */
function playersNear(ctx: Ctx, all: readonly Readonly<Body>[], living: readonly ActorId[], engaged: readonly ActorId[], range: number): ActorId[] {
  const out = new Set(engaged);
  const bodies = living.map((id) => ctx.bodyOf(id)).filter((b): b is Readonly<Body> => b !== undefined);
  const r2 = range * range;
  for (const pl of all) {
    if (out.has(pl.id)) continue;
    for (const b of bodies) {
      if ((b.x - pl.x) ** 2 + (b.y - pl.y) ** 2 <= r2) {
        out.add(pl.id);
        break;
      }
    }
  }
  return [...out].filter((id) => ctx.bodyOf(id)?.alive).sort((a, b) => a - b);
}

/** The identified players in the fight who may pay for its plan, nearest the pack first. */
function payersOf(ctx: Ctx, living: readonly ActorId[], players: readonly ActorId[]): PlanPayer[] {
  const members = living.map((id) => ctx.bodyOf(id)).filter((b): b is Readonly<Body> => b !== undefined);
  const inFight = players.flatMap((id) => {
    const body = ctx.bodyOf(id);
    return body ? [{ body, tags: ctx.tagsOf(id) }] : [];
  });
  return battlePayers(inFight, members);
}

function packHpFraction(ctx: Ctx, living: readonly ActorId[]): number {
  let hp = 0;
  let max = 0;
  for (const id of living) {
    const b = ctx.bodyOf(id);
    if (b) {
      hp += b.hp;
      max += b.maxHp;
    }
  }
  return max > 0 ? hp / max : 0;
}

function roleOf(rec: PackRecord, id: ActorId): OrderKind {
  return rec.plan?.plan.assignments.find((a) => a.member === id)?.role ?? 'none';
}

function contextOf(ctx: Ctx, state: CoordinatorState, rec: PackRecord, living: readonly ActorId[], players: readonly ActorId[]): BattleContext {
  const leader = ctx.bodyOf(rec.leader) as Readonly<Body>;
  return buildBattleContext({
    pack: rec.pack,
    time: ctx.time,
    leader,
    members: living.map((id) => ({ body: ctx.bodyOf(id) as Readonly<Body>, species: String(ctx.tagsOf(id).species ?? ''), role: roleOf(rec, id), traits: state.traits[String(id)] ?? null })),
    players: players.map((id) => ({ body: ctx.bodyOf(id) as Readonly<Body>, name: String(ctx.tagsOf(id).name ?? '') })),
    terrain: ctx.terrain,
    events: rec.events,
  });
}

function planWorld(ctx: Ctx, rec: PackRecord, living: readonly ActorId[], players: readonly ActorId[], origin: { x: number; y: number }): PlanWorld {
  return {
    terrain: ctx.terrain,
    members: new Map(living.map((id) => [id, ctx.bodyOf(id) as Readonly<Body>])),
    leader: rec.leader,
    players: new Map(players.map((id) => [id, ctx.bodyOf(id) as Readonly<Body>])),
    origin,
  };
}

/** Put a checked plan in force: orders to every member (the leader shouts a new battle cry). */
function applyPlan(
  ctx: Ctx, rec: PackRecord, plan: Plan, source: PlanSource, origin: { x: number; y: number }, repairs: readonly string[], seq: number, effects: Effect[],
): PackRecord {
  const until = ctx.time + plan.ttl;
  const surround = plan.assignments.filter((a) => a.role === 'surround').map((a) => a.member);
  const shout = plan.battleCry !== '' && (rec.plan?.plan.formation !== plan.formation || rec.plan.plan.battleCry !== plan.battleCry);
  for (const a of plan.assignments) {
    const order: Order & { cry?: string } = {
      role: a.role,
      target: a.target ?? 0,
      x: a.x === null ? null : origin.x + a.x,
      y: a.y === null ? null : origin.y + a.y,
      anchorX: origin.x,
      anchorY: origin.y,
      slot: Math.max(0, surround.indexOf(a.member)),
      slots: Math.max(1, surround.length),
      leader: rec.leader,
      until: until + 0.5,
      ...(shout && a.member === rec.leader && { cry: plan.battleCry }),
    };
    effects.push({ type: 'send', to: a.member, message: { type: 'signal', topic: ORDER_TOPIC, from: ctx.self, data: order } });
  }
  const retreated = rec.retreated || plan.assignments.every((a) => a.role === 'retreat');
  return { ...rec, retreated, plan: { seq, plan, source, madeAt: ctx.time, expiresAt: until, origin, repairs } };
}

/** A `plan` answer: dropped when the pack is gone or the battle changed; validated; applied when usable. */
function onPlanReply(state: CoordinatorState, message: ReplyMessage, ctx: Ctx): Transition<CoordinatorState> {
  const key = message.key;
  const rec0 = key === undefined ? undefined : state.packs[key];
  if (!rec0 || key === undefined) return { state: { ...state, stats: bump(state.stats, 'cloudStale') } };
  const pending = rec0.pending;
  let rec: PackRecord = { ...rec0, pending: null };
  const put = (r: PackRecord, stats: CoordinatorStats, seq = state.seq): CoordinatorState => ({ ...state, seq, stats, packs: { ...state.packs, [key]: r } });
  if (!message.ok) return { state: put({ ...rec, note: `cloud failed: ${message.error}`.slice(0, 160) }, bump(state.stats, 'cloudFailed')) };
  const reply = message.value as Partial<PlanReply> | null;
  const source = sourceOf(reply?.source);
  if (!source) return { state: put({ ...rec, note: 'cloud answer without a source' }, bump(state.stats, 'cloudRejected')) };
  if (source.provider === 'local') {
    const why = typeof reply?.why === 'string' && reply.why ? reply.why.slice(0, 160) : 'tier, budget or outage';
    return { state: put({ ...rec, note: `gateway answered locally (${why}): tactician plan stands` }, bump(state.stats, 'cloudLocal')) };
  }
  const isAlive = alive(ctx);
  const living = rec.members.filter(isAlive);
  const stale = !pending ? 'no request pending' : living.length < pending.alive ? 'a member fell since asking' : !pending.players.some((id) => rec.players.includes(id)) ? 'the players it planned against left' : null;
  if (stale || !pending) return { state: put({ ...rec, note: `stale cloud plan dropped: ${stale}` }, bump(state.stats, 'cloudStale')) };
  const check = validatePlan(reply?.plan, planWorld(ctx, rec, living, rec.players, pending.origin));
  if (!check.ok) return { state: put({ ...rec, note: `cloud plan refused: ${check.reason}`.slice(0, 200) }, bump(state.stats, 'cloudRejected')) };
  const effects: Effect[] = [];
  const seq = state.seq + 1;
  rec = applyPlan(ctx, rec, check.plan, source, pending.origin, check.repairs.map((r) => r.reason), seq, effects);
  rec = { ...rec, note: `accepted ${source.provider}:${source.model}${source.cached ? ' (cached)' : ''}`, nextPlanAt: ctx.time + ctx.params.replanEvery };
  return { state: put(rec, bump(bump(state.stats, 'cloudAccepted'), 'repairs', check.repairs.length), seq), effects };
}

function sourceOf(v: unknown): PlanSource | null {
  const s = v as Partial<PlanSource> | null | undefined;
  if (!s || typeof s.provider !== 'string' || typeof s.model !== 'string' || typeof s.cached !== 'boolean') return null;
  return { provider: s.provider.slice(0, 40), model: s.model.slice(0, 80), cached: s.cached };
}

/** The current plan of each engaged pack, for projections and inspectors. */
/** A pack's plan in force, with the pack it is for, as the room shows it. */
export interface PackPlanView extends ActivePlan {
  readonly pack: string;
  readonly leader: ActorId;
  readonly players: readonly ActorId[];
  readonly note: string;
}

/** Plans in force in a coordinator's state (ordered by pack key insertion). */
export function packPlans(state: unknown): PackPlanView[] {
  const s = state as Partial<CoordinatorState> | null;
  if (!s || typeof s.packs !== 'object' || s.packs === null) return [];
  const out: PackPlanView[] = [];
  for (const rec of Object.values(s.packs)) {
    if (!rec.plan) continue;
    const { seq, plan, source, madeAt, expiresAt, origin, repairs } = rec.plan;
    out.push({ pack: rec.pack, leader: rec.leader, players: rec.players, seq, plan, source, madeAt, expiresAt, origin, repairs, note: rec.note });
  }
  return out;
}

/** The spawn input of a room's coordinator (bodiless, kind `coordinator`). */
export function coordinatorSpawn(params: Partial<z.input<typeof CoordinatorParamsSchema>> = {}): WorldInput {
  return { type: 'spawn', ref: 'coordinator', spec: { kind: 'coordinator', behaviour: 'coordinator', params } };
}
