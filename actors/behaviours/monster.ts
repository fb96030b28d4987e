import { z } from 'zod';
import type { ActorContext, Behaviour, Transition } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { Effect } from '../effects.ts';
import type { ActorId } from '../ids.ts';
import { NO_ACTOR } from '../ids.ts';

/** Tunables of a monster, shared by every monster of a species. Distances in world units, times in seconds. */
export const MonsterParamsSchema = z.object({
  /** Notices hostile bodies within this radius. */
  perception: z.number().positive().max(64).default(8),
  /** Gives up a chase beyond perception × this factor. */
  leash: z.number().min(1).max(4).default(1.5),
  /** Reach of an attack, edge to edge. */
  attackRange: z.number().nonnegative().max(16).default(0.6),
  damage: z.number().nonnegative().max(10_000).default(10),
  /** Seconds between attacks. */
  cooldown: z.number().positive().max(60).default(1),
  /** Flees from threats while hp is below this fraction of max hp. */
  fleeBelow: z.number().min(0).max(1).default(0.25),
  /** Seconds from death to respawn. */
  respawnDelay: z.number().positive().max(3600).default(10),
  /** Wandering speed as a fraction of the body's speed. */
  wanderSpeed: z.number().min(0).max(1).default(0.4),
  /** Wanders back toward home when farther than this. */
  homeRadius: z.number().positive().max(1024).default(24),
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
  /** Time to pick a new wandering heading. */
  readonly nextTurn: number;
  /** Waypoints around an obstacle toward the target (flat x, y list in world units), or null. */
  readonly path: readonly number[] | null;
  /** Index of the next waypoint in `path`. */
  readonly pathStep: number;
  /** Earliest time to ask for another path. */
  readonly nextPathAt: number;
}

const BARKS = ['Grrr…', 'Hsss!', '*snarls*', '*bares its teeth*', '*growls low*'] as const;

/** Seconds between path requests while blocked, and after a search failed. */
const PATH_RETRY = 2;
/** A path is dropped when the target has moved this far (world units) from its end. */
const PATH_DRIFT = 4;

const hostile = (c: Readonly<Body>, me: Readonly<Body>): boolean => c.faction !== me.faction;

/**
 * Reflexes of a monster, every tick: wander around home; notice the nearest hostile within perception; chase
 * it and attack with a cooldown; flee while badly hurt; retaliate when hit; die at 0 hp and respawn after a
 * delay.
 */
export const monsterBehaviour: Behaviour<MonsterState, MonsterParams> = {
  name: 'monster',
  params: MonsterParamsSchema as unknown as z.ZodType<MonsterParams>,
  init: () => ({ mode: 'wander', target: NO_ACTOR, nextAttack: 0, nextTurn: 0, path: null, pathStep: 0, nextPathAt: 0 }),
  receive(state, message, ctx) {
    switch (message.type) {
      case 'tick':
        return state.mode === 'dead' ? { state } : reflexes(state, ctx);
      case 'hit':
        return state.target === NO_ACTOR && state.mode !== 'dead' ? { state: { ...state, target: message.from } } : { state };
      case 'died':
        return {
          state: { ...state, mode: 'dead', target: NO_ACTOR },
          effects: [{ type: 'timer', key: 'respawn', delay: ctx.params.respawnDelay }],
        };
      case 'timer':
        if (message.key === 'respawn') return { state: { ...state, mode: 'wander', nextTurn: 0 }, effects: [{ type: 'respawn' }] };
        return { state };
      case 'signal':
        // Spoken to: a wordless answer until a dialogue mind is wired in.
        if (message.topic !== 'talk' || state.mode === 'dead') return { state };
        return { state, effects: [{ type: 'emit', event: { kind: 'bark', text: ctx.rng.pick(BARKS) } }] };
      case 'path':
        if (state.mode !== 'chase') return { state };
        return message.ok && message.waypoints.length >= 2
          ? { state: { ...state, path: message.waypoints, pathStep: 0 } }
          : { state: { ...state, path: null, nextPathAt: ctx.time + PATH_RETRY } };
      default:
        return { state };
    }
  },
};

function reflexes(state: MonsterState, ctx: ActorContext<MonsterParams>): Transition<MonsterState> {
  const me = ctx.body;
  if (!me) return { state };
  const p = ctx.params;
  const threat = ctx.nearest(p.perception, hostile);

  if (threat && me.hp < p.fleeBelow * me.maxHp) {
    const dx = me.x - threat.x;
    const dy = me.y - threat.y;
    const d = Math.sqrt(dx * dx + dy * dy) || 1;
    return withMove({ ...state, mode: 'flee', target: NO_ACTOR }, me, (dx / d) * me.speed, (dy / d) * me.speed);
  }

  let target: Readonly<Body> | undefined;
  if (state.target !== NO_ACTOR) {
    const t = ctx.bodyOf(state.target);
    const leash = p.perception * p.leash;
    if (t && t.alive && (t.x - me.x) ** 2 + (t.y - me.y) ** 2 <= leash * leash) target = t;
  }
  target ??= threat;

  if (target) {
    const dx = target.x - me.x;
    const dy = target.y - me.y;
    const d = Math.sqrt(dx * dx + dy * dy);
    const reach = p.attackRange + me.radius + target.radius;
    if (d <= reach) {
      const effects: Effect[] = [];
      if (me.vx !== 0 || me.vy !== 0) effects.push({ type: 'move', vx: 0, vy: 0 });
      let nextAttack = state.nextAttack;
      if (ctx.time >= nextAttack) {
        effects.push({ type: 'attack', target: target.id, damage: p.damage, range: p.attackRange });
        nextAttack = ctx.time + p.cooldown;
      }
      const next = state.mode === 'fight' && state.target === target.id && nextAttack === state.nextAttack
        ? state
        : { ...state, mode: 'fight' as const, target: target.id, nextAttack };
      return { state: next, effects };
    }
    return chase(state, ctx, me, target, dx, dy, d);
  }

  // Wander: a new heading every few seconds, or at once when a wall stopped us; drift home when far.
  if (ctx.time < state.nextTurn && (me.vx !== 0 || me.vy !== 0) && state.mode === 'wander') return { state };
  const rng = ctx.rng;
  const hx = me.homeX - me.x;
  const hy = me.homeY - me.y;
  const angle = hx * hx + hy * hy > p.homeRadius * p.homeRadius
    ? Math.atan2(hy, hx) + rng.float(-0.5, 0.5)
    : rng.float(0, 2 * Math.PI);
  const speed = me.speed * p.wanderSpeed;
  return withMove(
    { mode: 'wander', target: NO_ACTOR, nextAttack: state.nextAttack, nextTurn: ctx.time + rng.float(1, 4), path: null, pathStep: 0, nextPathAt: state.nextPathAt },
    me,
    Math.cos(angle) * speed,
    Math.sin(angle) * speed,
  );
}

/**
 * Run at the target: straight at it, or along a found path when a wall was in the way. A body the terrain
 * stopped dead while chasing asks for a path (at most every PATH_RETRY seconds).
 */
function chase(
  state: MonsterState, ctx: ActorContext<MonsterParams>, me: Readonly<Body>, target: Readonly<Body>, dx: number, dy: number, d: number,
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
  const s = me.speed / (d || 1);
  return withMove(next, me, dx * s, dy * s);
}

/** A transition that sets the velocity, emitting a move effect only when it actually changes. */
function withMove(state: MonsterState, me: Readonly<Body>, vx: number, vy: number): Transition<MonsterState> {
  if (Math.abs(vx - me.vx) < 1e-6 && Math.abs(vy - me.vy) < 1e-6) return { state };
  return { state, effects: [{ type: 'move', vx, vy }] };
}

