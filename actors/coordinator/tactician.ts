import type { ActorId } from '../ids.ts';
import type { BattleContext, MemberView, PlayerView } from './battleContext.ts';
import type { Offset } from './terrainAround.ts';
import type { Assignment, Formation, Plan, Role } from './plan.ts';

/** Options of one planning call. */
export interface TacticianOptions {
  /** The pack already fell back once in this engagement: fight it out instead of retreating again. */
  readonly retreated?: boolean;
}

/** A member whose hp fraction is below this and whose courage is low hangs back to guard the leader. */
const FRAIL = 0.3;
/** Members farther than this (world units) from the leader are "spread": regroup first when there is time. */
const SPREAD = 6;
/** Players farther than this from the nearest member leave time to regroup. */
const TIME_TO_REGROUP = 6;
/** A target within this distance of a chokepoint or slow ground cannot be surrounded well. */
const NEAR = 2;

const hypot = (a: Offset, b: Offset): number => Math.hypot(a.dx - b.dx, a.dy - b.dy);
const avg = (xs: readonly number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const r1 = (v: number): number => Math.round(v * 10) / 10;

/** Effective strength of a side: summed current hp (a crude stand-in for damage dealt before it falls). */
const hpOf = (xs: readonly { hp: number; maxHp: number }[]): number => xs.reduce((s, x) => s + x.hp * x.maxHp, 0);

/**
 * The local tactician: a deterministic planner over a {@link BattleContext}, the offline default and the last
 * fallback of cloud tactics. It weighs
 *
 * - numbers and health: the pack's hp against the players'; a badly beaten pack (below its courage-scaled
 *   threshold) falls back once to a rally point — in cover when there is some — and then fights it out;
 * - the target: the weakest player by remaining hp (focus fire ends fights sooner);
 * - terrain: a target standing in a chokepoint cannot be surrounded (the pack forms a line and baits it out
 *   instead); a target in slow ground (water, mud) is baited out toward the pack waiting in cover;
 * - cohesion: a spread pack regroups on its leader while the players are still far, so it arrives together;
 * - traits: cunning packs bait and flank (pincer), plain ones surround; frail, timid members guard the leader.
 */
export function localTactician(context: BattleContext, opts: TacticianOptions = {}): Plan {
  const members = context.members;
  const players = context.players;
  const leader = context.leader;
  if (members.length === 0) {
    return { formation: 'hold', assignments: [{ member: leader, role: 'regroup', target: null, x: 0, y: 0 }], retreatBelow: 0, battleCry: '', ttl: 3 };
  }
  const courage = avg(members.map((m) => m.traits.courage));
  const cunning = avg(members.map((m) => m.traits.cunning));
  const retreatBelow = opts.retreated ? 0 : r1(Math.max(0.1, Math.min(0.4, 0.35 - 0.25 * courage)));
  if (players.length === 0) {
    return { formation: 'hold', assignments: members.map((m) => ({ member: m.id, role: 'regroup', target: null, x: 0, y: 0 })), retreatBelow, battleCry: '', ttl: 4 };
  }

  const packHp = hpOf(members);
  const packMax = members.reduce((s, m) => s + m.maxHp, 0);
  const playerHp = hpOf(players);
  const packFrac = packMax > 0 ? packHp / packMax : 0;

  // Beaten: fall back once, to cover away from the players, then fight it out.
  if (!opts.retreated && packFrac < retreatBelow && packHp < playerHp) {
    const rally = rallyPoint(context);
    return {
      formation: 'scatter',
      assignments: members.map((m) => ({ member: m.id, role: 'retreat', target: null, x: rally.dx, y: rally.dy })),
      retreatBelow: 0,
      battleCry: 'Fall back!',
      ttl: 5,
    };
  }

  const target = weakest(players);
  const targetOff: Offset = { dx: target.dx, dy: target.dy };
  const nearestGap = Math.min(...members.map((m) => Math.min(...players.map((p) => hypot(m, p)))));
  const spread = Math.max(...members.map((m) => Math.hypot(m.dx, m.dy)));

  // Spread out and the players not on us yet: gather on the leader first, to strike together.
  if (members.length >= 2 && spread > SPREAD && nearestGap > TIME_TO_REGROUP) {
    return {
      formation: 'wedge',
      assignments: members.map((m) => ({ member: m.id, role: 'regroup', target: null, x: 0, y: 0 })),
      retreatBelow,
      battleCry: 'To me!',
      ttl: 3,
    };
  }

  const inChoke = context.terrain.chokepoints.some((c) => hypot(c, targetOff) <= NEAR);
  const inWater = context.terrain.water.some((w) => hypot(w, targetOff) <= NEAR);
  const frail = (m: MemberView): boolean => m.id !== leader && m.hp < FRAIL && m.traits.courage < 0.5 && members.length >= 3;
  const fighters = members.filter((m) => !frail(m));
  const guards = members.filter(frail);
  const assign: Assignment[] = guards.map((m) => ({ member: m.id, role: 'guardLeader', target: null, x: null, y: null }));
  const give = (m: MemberView, role: Role, x: number | null = null, y: number | null = null): void => {
    assign.push({ member: m.id, role, target: POINTLESS.has(role) ? null : target.id, x, y });
  };
  let formation: Formation;
  let battleCry: string;
  // Who baits: the sturdiest fighter (hp, then courage); flankers: the most cunning of the rest.
  const byGrit = [...fighters].sort((a, b) => b.hp * b.maxHp - a.hp * a.maxHp || b.traits.courage - a.traits.courage || a.id - b.id);
  const byCunning = (xs: readonly MemberView[]): MemberView[] => [...xs].sort((a, b) => b.traits.cunning - a.traits.cunning || a.id - b.id);

  if (inWater && fighters.length >= 2) {
    // Don't wade in: one baits the target out, the rest wait in cover (or on the leader) to pounce.
    const bait = byGrit[0] as MemberView;
    const wait = coverNear(context, { dx: 0, dy: 0 }) ?? { dx: 0, dy: 0 };
    formation = 'ambush';
    battleCry = 'Come out of the water…';
    give(bait, 'bait');
    for (const m of fighters) if (m !== bait) give(m, 'regroup', wait.dx, wait.dy);
  } else if (inChoke || fighters.length < 3) {
    // A corridor (or too few to encircle): a line that focuses the weakest; a second member, if cunning, flanks.
    formation = 'line';
    battleCry = inChoke ? 'Hold the gap!' : 'Bring it down!';
    const flanker = !inChoke && fighters.length === 2 && cunning >= 0.5 ? byCunning(fighters)[0] : undefined;
    for (const m of fighters) give(m, m === flanker ? (side(context, m, target) > 0 ? 'flankLeft' : 'flankRight') : 'focus');
  } else if (cunning >= 0.55 && fighters.length >= 3) {
    // Pincer: the sturdiest baits, the two most cunning flank left and right, the rest focus.
    const bait = byGrit[0] as MemberView;
    const [a, b] = byCunning(fighters.filter((m) => m !== bait));
    formation = 'pincer';
    battleCry = 'Close the jaws!';
    for (const m of fighters) {
      if (m === bait) give(m, 'bait');
      else if (m === a) give(m, side(context, m, target) >= 0 ? 'flankLeft' : 'flankRight');
      else if (m === b) give(m, side(context, a as MemberView, target) >= 0 ? 'flankRight' : 'flankLeft');
      else give(m, 'focus');
    }
  } else {
    // Surround the weakest target: every fighter takes a slot around it.
    formation = 'surround';
    battleCry = 'Surround it!';
    for (const m of fighters) give(m, 'surround');
  }
  assign.sort((a, b) => a.member - b.member);
  return { formation, assignments: assign, retreatBelow, battleCry: opts.retreated ? 'No way back!' : battleCry, ttl: 6 };
}

const POINTLESS: ReadonlySet<Role> = new Set<Role>(['guardLeader', 'retreat', 'regroup']);

/** The player with the least remaining hp (ties: nearest the leader, then lowest id). */
function weakest(players: readonly PlayerView[]): PlayerView {
  let best = players[0] as PlayerView;
  for (const p of players) {
    const a = p.hp * p.maxHp;
    const b = best.hp * best.maxHp;
    if (a < b - 1e-9 || (Math.abs(a - b) <= 1e-9 && Math.hypot(p.dx, p.dy) < Math.hypot(best.dx, best.dy) - 1e-9)) best = p;
  }
  return best;
}

/** Which side of the leader→target line a member stands on: > 0 left, < 0 right. */
function side(_context: BattleContext, m: MemberView, target: PlayerView): number {
  return target.dx * m.dy - target.dy * m.dx;
}

/** A fall-back point: cover on the far side from the players if there is some, else 8 units straight away. */
function rallyPoint(context: BattleContext): Offset {
  const px = avg(context.players.map((p) => p.dx));
  const py = avg(context.players.map((p) => p.dy));
  const away = Math.hypot(px, py) || 1;
  const ux = -px / away;
  const uy = -py / away;
  const behind = context.terrain.cover.filter((c) => c.dx * ux + c.dy * uy > 1);
  if (behind.length) return behind[0] as Offset;
  return { dx: r1(ux * 8), dy: r1(uy * 8) };
}

/** The cover point nearest `near` that is no closer to the players than the leader, or undefined. */
function coverNear(context: BattleContext, near: Offset): Offset | undefined {
  const ps = context.players;
  const gap = (o: Offset): number => Math.min(...ps.map((p) => hypot(o, p)));
  const leaderGap = gap({ dx: 0, dy: 0 });
  let best: Offset | undefined;
  for (const c of context.terrain.cover) {
    if (gap(c) + 1e-9 < Math.min(leaderGap, 4)) continue;
    if (!best || hypot(c, near) < hypot(best, near)) best = c;
  }
  return best;
}

/** Ids of members by role in a plan (for tests and inspectors). */
export function membersByRole(plan: Plan): Partial<Record<Role, ActorId[]>> {
  const out: Partial<Record<Role, ActorId[]>> = {};
  for (const a of plan.assignments) (out[a.role] ??= []).push(a.member);
  return out;
}
