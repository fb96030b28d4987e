import { formatIssues } from '../../shared/index.ts';
import type { TerrainQuery } from '../../shared/index.ts';
import type { Body } from '../body.ts';
import type { ActorId } from '../ids.ts';
import { findPath } from '../pathing/index.ts';
import { PlanSchema, POINT_ROLES, TARGET_ROLES } from './plan.ts';
import type { Assignment, Plan, Role } from './plan.ts';
import { nearestWalkable } from './terrainAround.ts';

/** The world a plan is checked against, as it is now (not as it was when the plan was asked for). */
export interface PlanWorld {
  readonly terrain: TerrainQuery;
  /** Living members of the pack, by id. */
  readonly members: ReadonlyMap<ActorId, Readonly<Body>>;
  readonly leader: ActorId;
  /** Living players in sight of the pack, by id. */
  readonly players: ReadonlyMap<ActorId, Readonly<Body>>;
  /** The origin plan offsets are relative to (the leader's position in the plan's context). */
  readonly origin: { readonly x: number; readonly y: number };
  /** Farthest a plan point may be from the origin, world units (default 32). */
  readonly maxReach?: number;
  /** A* node budget per reachability check (default 600). */
  readonly pathNodes?: number;
}

/** One change made to a plan, with why. */
export interface PlanRepair {
  /** The member concerned, or 0 for the plan as a whole. */
  readonly member: ActorId;
  readonly action: 'repaired' | 'dropped' | 'added';
  readonly reason: string;
}

/** A usable plan (possibly repaired) or why there is none; repairs list every change either way. */
export type PlanCheck =
  | { readonly ok: true; readonly plan: Plan; readonly repairs: readonly PlanRepair[] }
  | { readonly ok: false; readonly reason: string; readonly repairs: readonly PlanRepair[] };

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const r1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * Check a plan against the world before use, repairing what can be repaired and dropping the rest, with the
 * reason for each change:
 *
 * - shape: the {@link PlanSchema} (a plan that fails it is unusable; the error names the bad field);
 * - members: dead or absent ones, and a member assigned twice, are dropped;
 * - targets: a target out of sight (dead, gone, not a player) becomes the player nearest that member;
 * - points: a point off the walkable ground moves to the nearest walkable tile; one too far from the pack or
 *   unreachable from the member (A*) is dropped (retreat/regroup then default to the leader's side);
 * - contradictions: the leader cannot guard itself, a bait needs someone to spring the trap, one member cannot
 *   surround, focus means one shared target;
 * - members the plan forgot engage the nearest player.
 *
 * A plan with no usable assignment left is refused (the caller falls back to the tactician).
 */
export function validatePlan(raw: unknown, world: PlanWorld): PlanCheck {
  const repairs: PlanRepair[] = [];
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: `invalid plan: ${formatIssues(parsed.error.issues.map((i) => ({ path: i.path, message: i.message })))}`, repairs };
  }
  const plan = parsed.data;
  const fix = (member: ActorId, action: PlanRepair['action'], reason: string): void => void repairs.push({ member, action, reason });
  const maxReach = world.maxReach ?? 32;
  const seen = new Set<ActorId>();
  const out: Assignment[] = [];

  for (const a0 of plan.assignments) {
    let a: Assignment = a0;
    const body = world.members.get(a.member);
    if (!body) {
      fix(a.member, 'dropped', `member ${a.member} is dead or not in the pack`);
      continue;
    }
    if (seen.has(a.member)) {
      fix(a.member, 'dropped', `member ${a.member} is assigned twice; the first assignment stands`);
      continue;
    }
    // Targets.
    if (TARGET_ROLES.has(a.role)) {
      if (a.target === null || !world.players.has(a.target)) {
        const near = nearestPlayer(world, body);
        if (!near) {
          fix(a.member, 'dropped', `${a.role} needs a target and no player is in sight`);
          continue;
        }
        fix(a.member, 'repaired', a.target === null ? `${a.role} had no target; nearest player ${near} instead` : `target ${a.target} is not in sight; nearest player ${near} instead`);
        a = { ...a, target: near };
      }
    } else if (a.target !== null && !world.players.has(a.target)) {
      fix(a.member, 'repaired', `target ${a.target} is not in sight; dropped the target`);
      a = { ...a, target: null };
    }
    // Points.
    if ((a.x === null) !== (a.y === null)) {
      fix(a.member, 'repaired', 'a point needs both x and y; dropped the point');
      a = { ...a, x: null, y: null };
    }
    if (a.x !== null && a.y !== null) {
      const point = checkPoint(world, body, a.x, a.y, maxReach);
      if (point.reason) fix(a.member, point.dx === null ? 'dropped' : 'repaired', point.reason);
      a = { ...a, x: point.dx, y: point.dy };
    }
    if (POINT_ROLES.has(a.role) && a.x === null) {
      const d = defaultPoint(world, a.role);
      fix(a.member, 'repaired', `${a.role} has no usable point; ${a.role === 'retreat' ? 'away from the players' : "on the leader"} instead`);
      a = { ...a, x: d.dx, y: d.dy };
    }
    seen.add(a.member);
    out.push(a);
  }

  if (out.length === 0) return { ok: false, reason: 'nothing usable left in the plan', repairs };

  // Contradictions between roles.
  const roleCount = (r: Role): number => out.filter((a) => a.role === r).length;
  for (let i = 0; i < out.length; i++) {
    const a = out[i] as Assignment;
    if (a.role === 'guardLeader' && a.member === world.leader) {
      const t = a.target ?? nearestPlayer(world, world.members.get(a.member) as Body);
      if (t === undefined) continue;
      fix(a.member, 'repaired', 'the leader cannot guard itself; it engages instead');
      out[i] = { ...a, role: 'engage', target: t };
    }
  }
  const springers = (target: ActorId | null): number => out.filter((a) => a.target === target && (a.role === 'engage' || a.role === 'focus' || a.role === 'flankLeft' || a.role === 'flankRight' || a.role === 'surround')).length;
  for (let i = 0; i < out.length; i++) {
    const a = out[i] as Assignment;
    if (a.role === 'bait' && springers(a.target) === 0 && roleCount('regroup') === 0) {
      fix(a.member, 'repaired', 'a bait needs others to spring the trap; it engages instead');
      out[i] = { ...a, role: 'engage' };
    }
  }
  if (roleCount('surround') === 1) {
    const i = out.findIndex((a) => a.role === 'surround');
    fix((out[i] as Assignment).member, 'repaired', 'one member cannot surround; it engages instead');
    out[i] = { ...(out[i] as Assignment), role: 'engage' };
  }
  const focus = out.find((a) => a.role === 'focus');
  if (focus) {
    for (let i = 0; i < out.length; i++) {
      const a = out[i] as Assignment;
      if (a.role === 'focus' && a.target !== focus.target) {
        fix(a.member, 'repaired', `focus means one target: ${focus.target} (as member ${focus.member}), not ${a.target}`);
        out[i] = { ...a, target: focus.target };
      }
    }
  }

  // Members the plan forgot.
  for (const [id, body] of world.members) {
    if (seen.has(id)) continue;
    const t = nearestPlayer(world, body);
    if (t === undefined) continue;
    fix(id, 'added', `member ${id} had no assignment; it engages the nearest player`);
    out.push({ member: id, role: 'engage', target: t, x: null, y: null });
  }
  out.sort((a, b) => a.member - b.member);
  const battleCry = plan.battleCry.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  if (battleCry !== plan.battleCry) fix(0, 'repaired', 'battle cry cleaned of control characters and extra spaces');
  return { ok: true, plan: { ...plan, assignments: out, battleCry }, repairs };
}

function nearestPlayer(world: PlanWorld, body: Readonly<Body>): ActorId | undefined {
  let best: ActorId | undefined;
  let bestD2 = Infinity;
  for (const [id, p] of world.players) {
    const d2 = (p.x - body.x) ** 2 + (p.y - body.y) ** 2;
    if (d2 < bestD2 || (d2 === bestD2 && best !== undefined && id < best)) {
      best = id;
      bestD2 = d2;
    }
  }
  return best;
}

/** The point as offsets after repair (null when dropped) and why it changed. */
function checkPoint(world: PlanWorld, member: Readonly<Body>, dx: number, dy: number, maxReach: number): { dx: number | null; dy: number | null; reason: string | null } {
  const o = world.origin;
  const t = world.terrain;
  if (Math.hypot(dx, dy) > maxReach) return { dx: null, dy: null, reason: `point (${dx}, ${dy}) is ${r1(Math.hypot(dx, dy))} units from the pack, beyond ${maxReach}: unreachable, dropped` };
  let x = o.x + dx;
  let y = o.y + dy;
  let reason: string | null = null;
  const ts = t.tileSize;
  const cost = t.moveCost(Math.floor(x / ts), Math.floor(y / ts));
  if (!t.isWalkable(Math.floor(x / ts), Math.floor(y / ts)) || !Number.isFinite(cost)) {
    const w = nearestWalkable(t, x, y, 4);
    if (!w) return { dx: null, dy: null, reason: `point (${dx}, ${dy}) is not walkable and no walkable tile is near: dropped` };
    reason = `point (${dx}, ${dy}) is not walkable; moved to the nearest walkable tile (${r1(w.x - o.x)}, ${r1(w.y - o.y)})`;
    x = w.x;
    y = w.y;
  }
  const path = findPath(t, { x: Math.floor(member.x / ts), y: Math.floor(member.y / ts) }, { x: Math.floor(x / ts), y: Math.floor(y / ts) }, { maxNodes: world.pathNodes ?? 600 });
  if (path.status === 'unreachable') return { dx: null, dy: null, reason: `point (${dx}, ${dy}) cannot be reached from member ${member.id}: dropped` };
  return { dx: r1(x - o.x), dy: r1(y - o.y), reason };
}

/** Where retreat and regroup go without a usable point: 8 units away from the players, or the leader. */
function defaultPoint(world: PlanWorld, role: Role): { dx: number; dy: number } {
  const leader = world.members.get(world.leader);
  const lx = leader ? leader.x - world.origin.x : 0;
  const ly = leader ? leader.y - world.origin.y : 0;
  if (role !== 'retreat' || world.players.size === 0) return { dx: r1(lx), dy: r1(ly) };
  let px = 0;
  let py = 0;
  for (const p of world.players.values()) {
    px += p.x - world.origin.x;
    py += p.y - world.origin.y;
  }
  px /= world.players.size;
  py /= world.players.size;
  const vx = lx - px;
  const vy = ly - py;
  const d = Math.hypot(vx, vy) || 1;
  const gx = world.origin.x + lx + (vx / d) * 8;
  const gy = world.origin.y + ly + (vy / d) * 8;
  const w = nearestWalkable(world.terrain, gx, gy, 4);
  return w ? { dx: r1(w.x - world.origin.x), dy: r1(w.y - world.origin.y) } : { dx: r1(lx), dy: r1(ly) };
}
