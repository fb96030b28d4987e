import type { ActorContext, Transition } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { Effect } from '../effects.ts';
import type { ActorId } from '../ids.ts';
import { ROLES } from '../coordinator/plan.ts';
import type { Order } from '../coordinator/plan.ts';

/** What a pack member knows of its pack (from the coordinator's roster signal, updated by mates). */
export interface PackInfo {
  readonly pack: string;
  readonly leader: ActorId;
  /** The other members, ascending. */
  readonly mates: readonly ActorId[];
  /** The coordinator that sent the roster. */
  readonly coordinator: ActorId;
}

/**
 * What following an order needs from the monster behaviour (its own movement and combat primitives). Plain
 * functions of their arguments, so a behaviour passes one shared object rather than closures made per turn.
 */
export interface OrderMoves<S> {
  /** Run at `target` (chasing the pseudo-body at a point also works: its id stays the real target's). */
  chase(state: S, ctx: ActorContext<unknown>, me: Readonly<Body>, target: Readonly<Body>): Transition<S>;
  /** Set the velocity. */
  move(state: S, me: Readonly<Body>, vx: number, vy: number): Transition<S>;
  /** Stand and hit `target` (it is within reach). */
  strike(state: S, ctx: ActorContext<unknown>, me: Readonly<Body>, target: Readonly<Body>): Transition<S>;
  /** Reach to `target`, edge to edge plus attack range. */
  reach(ctx: ActorContext<unknown>, me: Readonly<Body>, target: Readonly<Body>): number;
}

/** Head for (x, y) at `speed`, or stop when there. */
function toward<S>(moves: OrderMoves<S>, state: S, me: Readonly<Body>, x: number, y: number, speed = me.speed): Transition<S> {
  const dx = x - me.x;
  const dy = y - me.y;
  const d = Math.sqrt(dx * dx + dy * dy);
  if (d < 0.3) return moves.move(state, me, 0, 0);
  return moves.move(state, me, (dx / d) * speed, (dy / d) * speed);
}

function dist(me: Readonly<Body>, b: Readonly<Body>): number {
  return Math.hypot(b.x - me.x, b.y - me.y);
}

const ROLE_SET = new Set<string>(ROLES);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A usable order from a signal's data, or null (null data, or garbage, clears the order). */
export function orderOf(v: unknown): (Order & { cry?: string }) | null {
  const o = v as Partial<Order & { cry: unknown }> | null;
  if (!o || typeof o !== 'object' || typeof o.role !== 'string' || !ROLE_SET.has(o.role)) return null;
  if (!num(o.target) || !num(o.anchorX) || !num(o.anchorY) || !num(o.until) || !num(o.slot) || !num(o.slots) || !num(o.leader)) return null;
  if ((o.x !== null && !num(o.x)) || (o.y !== null && !num(o.y))) return null;
  return o as Order & { cry?: string };
}

/** The roster from a `pack` signal, or null for garbage. */
export function packInfoOf(v: unknown, from: ActorId): PackInfo | null {
  const d = v as { pack?: unknown; leader?: unknown; mates?: unknown } | null;
  if (!d || (typeof d.pack !== 'string' && typeof d.pack !== 'number') || !num(d.leader) || !Array.isArray(d.mates) || !d.mates.every(num)) return null;
  return { pack: String(d.pack), leader: d.leader, mates: (d.mates as number[]).slice(0, 64), coordinator: from };
}

/** Within this distance (world units) of its point, a member has arrived. */
const ARRIVED = 1.2;
/** Flankers come at the target from this far to its side. */
const FLANK = 2.5;
/** A bait keeps its target between these distances. */
const BAIT_NEAR = 2.2;
const BAIT_FAR = 4.5;

/**
 * Follow a coordinator order: engage or focus the ordered target; flank it from the left or right of the pack's
 * approach; take a slot around it (surround); bait it toward the pack; guard the leader; retreat or regroup to
 * a point. Returns null when the order cannot be followed now (its target is gone and no threat is near): the
 * monster's own reflexes and layer-3 decisions fill the gap. A member in reach of its target always strikes.
 */
export function followOrder<S>(
  state: S, ctx: ActorContext<unknown>, me: Readonly<Body>, order: Order, threat: Readonly<Body> | undefined, leaderId: ActorId,
  accept: (c: Readonly<Body>, self: Readonly<Body>) => boolean, moves: OrderMoves<S>,
): Transition<S> | null {
  const ordered = order.target ? ctx.bodyOf(order.target) : undefined;
  const target = ordered && ordered.alive && accept(ordered, me) ? ordered : threat;
  // Whatever the role, a hostile in reach gets hit (guards and retreaters fight back).
  const inReach = target && dist(me, target) <= moves.reach(ctx, me, target) ? target : threat && dist(me, threat) <= moves.reach(ctx, me, threat) ? threat : undefined;

  switch (order.role) {
    case 'retreat': {
      if (order.x === null || order.y === null) return null;
      if (Math.hypot(order.x - me.x, order.y - me.y) <= ARRIVED) return inReach ? moves.strike(state, ctx, me, inReach) : moves.move(state, me, 0, 0);
      return toward(moves, state, me, order.x, order.y);
    }
    case 'regroup': {
      const x = order.x ?? ctx.bodyOf(leaderId)?.x;
      const y = order.y ?? ctx.bodyOf(leaderId)?.y;
      if (inReach) return moves.strike(state, ctx, me, inReach);
      if (x === undefined || y === undefined || Math.hypot(x - me.x, y - me.y) <= ARRIVED) return null; // arrived: fight on its own
      return toward(moves, state, me, x, y);
    }
    case 'guardLeader': {
      const leader = ctx.bodyOf(leaderId);
      if (!leader || !leader.alive || leader.id === me.id) return null;
      if (inReach) return moves.strike(state, ctx, me, inReach);
      // Hostiles close to the leader are ours.
      if (target && Math.hypot(target.x - leader.x, target.y - leader.y) <= 3) return moves.chase(state, ctx, me, target);
      if (Math.hypot(leader.x - me.x, leader.y - me.y) > 2) return toward(moves, state, me, leader.x, leader.y);
      return moves.move(state, me, 0, 0);
    }
    default:
      break;
  }
  if (!target) return null;
  if (inReach === target) return moves.strike(state, ctx, me, target);
  const d = dist(me, target);
  // Direction the pack comes from: anchor → target.
  let ux = target.x - order.anchorX;
  let uy = target.y - order.anchorY;
  const ul = Math.hypot(ux, uy) || 1;
  ux /= ul;
  uy /= ul;
  switch (order.role) {
    case 'flankLeft':
    case 'flankRight': {
      const s = order.role === 'flankLeft' ? 1 : -1;
      const gx = target.x - uy * s * FLANK;
      const gy = target.y + ux * s * FLANK;
      if (d > FLANK + 0.5 && Math.hypot(gx - me.x, gy - me.y) > ARRIVED) return moves.chase(state, ctx, me, { ...target, x: gx, y: gy });
      return moves.chase(state, ctx, me, target);
    }
    case 'surround': {
      const reach = moves.reach(ctx, me, target) * 0.8;
      const a = Math.atan2(-uy, -ux) + (2 * Math.PI * order.slot) / Math.max(1, order.slots);
      const gx = target.x + Math.cos(a) * reach;
      const gy = target.y + Math.sin(a) * reach;
      if (Math.hypot(gx - me.x, gy - me.y) > 0.5 && d > moves.reach(ctx, me, target) * 0.9) return moves.chase(state, ctx, me, { ...target, x: gx, y: gy });
      return moves.chase(state, ctx, me, target);
    }
    case 'bait': {
      if (d < BAIT_NEAR) {
        // Draw it back toward the pack.
        return toward(moves, state, me, order.anchorX, order.anchorY);
      }
      if (d > BAIT_FAR) return moves.chase(state, ctx, me, target);
      return moves.move(state, me, 0, 0);
    }
    default:
      // engage, focus
      return moves.chase(state, ctx, me, target);
  }
}

/** Effects telling mates something (help, a seen target, the leader down). */
export function tellMates(me: ActorId, mates: readonly ActorId[], topic: string, data: unknown): Effect[] {
  return mates.map((to) => ({ type: 'send' as const, to, message: { type: 'signal' as const, topic, from: me, data } }));
}
