import type { ActorId, Assignment, BattleContext, MemberView, Offset, OrderKind, Plan, PlayerView, TerrainSummary } from '../actors/index.ts';

/**
 * A battle seen in relative terms, for cloud tactics and its cache.
 *
 * The battle context the coordinator builds names actors by id, holds the time and the leader's absolute position:
 * no two packs, and no two moments, ever share one. A {@link Situation} is the same battle with all of that taken
 * out, in two forms:
 *
 * - `key`: the quantised situation, what a plan is cached under. Two battles with the same key are alike for a
 *   planner: same pack (species, toughness, health and current role of each member, how spread out), same foes
 *   (toughness, health, rough bearing and distance, standing in a chokepoint or slow ground), same kind of ground.
 *   Time, absolute coordinates, actor ids, pack tags and player names are not in it.
 * - `context`: the battle context relabelled: members are numbered 1..N (1 is the leader, the rest in a canonical
 *   order), players 101, 102, … (see {@link foeLabel}), the origin is (0, 0) and the time 0. Offsets, hp, terrain
 *   and traits are the live ones. This is what the model sees and answers about, so its plan, and the cached copy
 *   of it, speak of slots and labels, never of one pack's ids.
 *
 * `members[k - 1]` and `players[k - 1]` map slot k and label `foeLabel(k)` back to this battle's actor ids
 * ({@link planToIds}). Two battles with the same key have, slot for slot, members with the same description, so a
 * plan made for one maps onto the other; the coordinator then validates it against the live world like any plan.
 *
 * Bands (each value is the band's index; the key is versioned by {@link SITUATION_KEY_VERSION}):
 *
 * | what | from | bands |
 * |---|---|---|
 * | health | hp / maxHp | 0: < 0.25, 1: < 0.5, 2: < 0.75, 3: ≥ 0.75 |
 * | toughness | maxHp | round(log2(maxHp / 25)) clamped to 0..6: 0 ≈ 25, 1 ≈ 50, 2 ≈ 100, 3 ≈ 200, … |
 * | role | current order | `idle` (none), `fight` (engage, focus, flanks, surround, bait, guardLeader), `back` (retreat), `gather` (regroup) |
 * | spread | farthest member from the leader (units) | 0: < 3, 1: < 6, 2: < 12, 3: ≥ 12 |
 * | bearing | angle from the leader to a foe | 8 sectors of 45°, sector 0 centred on +x, sector 2 on +y (world axes, not the pack's facing: plan offsets are in world axes too) |
 * | distance | leader to a foe (units) | 0: < 3 (in reach), 1: < 8, 2: < 16, 3: ≥ 16 |
 * | ground under a foe | terrain summary points within 2 units of it | `c`: a chokepoint, `w`: slow ground, both or neither |
 * | terrain | the summary around the battle | chokepoints, slow ground and cover, each counted 0: none, 1: 1–2, 2: 3 or more (the share of walls is left out: it shifts as the fight moves, and the features are what a plan uses) |
 *
 * Canonical orders: the leader is slot 1; the other members follow by species, then toughness (tougher first), health
 * (healthier first) and role class, ties broken by the live distance to the nearest foe (nearest first), then id.
 * Foes by distance band, sector, health, toughness and ground, ties broken by live distance, then id.
 */
export interface Situation {
  /** The quantised situation: a cache key (`tactics/v<version> ` + JSON), never ids, names, time or coordinates. */
  readonly key: string;
  /** The battle context relabelled in slots and labels, origin (0, 0), time 0, no names. */
  readonly context: BattleContext;
  /** Actor id of each member slot: `members[k - 1]` is slot k. */
  readonly members: readonly ActorId[];
  /** Actor id of each foe: `players[k - 1]` is label `foeLabel(k)`. */
  readonly players: readonly ActorId[];
}

/** Version of the key layout: bumped whenever a band or the order changes, so old cached plans are not misread. */
export const SITUATION_KEY_VERSION = 1;

/** First foe label: players are 101, 102, … (so the model cannot mistake a player for a member). */
export const FOE_LABEL_BASE = 100;

/** The label of the k-th foe (1-based) in a situation. */
export const foeLabel = (k: number): number => FOE_LABEL_BASE + k;

const HP_BANDS = [0.25, 0.5, 0.75] as const;
const SPREAD_BANDS = [3, 6, 12] as const;
const DISTANCE_BANDS = [3, 8, 16] as const;
/** Terrain points within this distance (units) of a foe are the ground it stands on (the tactician's own reach). */
const GROUND_NEAR = 2;
const SECTORS = 8;

type RoleClass = 'idle' | 'fight' | 'back' | 'gather';
const ROLE_CLASS: Readonly<Record<OrderKind, RoleClass>> = {
  none: 'idle', engage: 'fight', focus: 'fight', flankLeft: 'fight', flankRight: 'fight', surround: 'fight', bait: 'fight', guardLeader: 'fight', retreat: 'back', regroup: 'gather',
};

/** Index of the first bound `v` is below, or the number of bounds. */
function band(v: number, bounds: readonly number[]): number {
  let i = 0;
  while (i < bounds.length && !(v < (bounds[i] as number))) i++;
  return i;
}

const hpBand = (hp: number): number => band(hp, HP_BANDS);
const toughness = (maxHp: number): number => (maxHp > 0 ? Math.max(0, Math.min(6, Math.round(Math.log2(maxHp / 25)))) : 0);
const countBand = (n: number): number => (n === 0 ? 0 : n <= 2 ? 1 : 2);

/** Sector 0..7 of the direction (dx, dy): 45° each, sector 0 centred on +x. */
export function sectorOf(dx: number, dy: number): number {
  const k = Math.round(Math.atan2(dy, dx) / ((2 * Math.PI) / SECTORS));
  return ((k % SECTORS) + SECTORS) % SECTORS;
}

/** Compare tuples of numbers and strings element by element. */
function cmp(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

const near = (points: readonly Offset[], p: { dx: number; dy: number }): boolean => points.some((q) => Math.hypot(q.dx - p.dx, q.dy - p.dy) <= GROUND_NEAR);

/** The quantised situation of a battle and its relabelled context (see {@link Situation}). */
export function tacticsSituation(context: BattleContext): Situation {
  const foeGap = (m: MemberView): number => Math.min(Infinity, ...context.players.map((p) => Math.hypot(p.dx - m.dx, p.dy - m.dy)));
  type M = { readonly m: MemberView; readonly d: readonly (string | number)[]; readonly gap: number };
  const described: M[] = context.members.map((m) => ({ m, d: [m.species, toughness(m.maxHp), hpBand(m.hp), ROLE_CLASS[m.role] ?? 'idle'], gap: foeGap(m) }));
  const leader = described.find((x) => x.m.id === context.leader);
  const rest = described.filter((x) => x !== leader);
  // Species ascending; toughness and health descending (negated); role class ascending.
  const rank = (x: M): (string | number)[] => [x.d[0] as string, -(x.d[1] as number), -(x.d[2] as number), x.d[3] as string];
  rest.sort((a, b) => cmp(rank(a), rank(b)) || a.gap - b.gap || a.m.id - b.m.id);
  const members = leader ? [leader, ...rest] : rest;

  type F = { readonly p: PlayerView; readonly d: readonly (string | number)[]; readonly dist: number };
  const t = context.terrain;
  const foes: F[] = context.players.map((p) => {
    const dist = Math.hypot(p.dx, p.dy);
    const ground = `${near(t.chokepoints, p) ? 'c' : ''}${near(t.water, p) ? 'w' : ''}`;
    return { p, dist, d: [band(dist, DISTANCE_BANDS), sectorOf(p.dx, p.dy), hpBand(p.hp), toughness(p.maxHp), ground] };
  });
  foes.sort((a, b) => cmp(a.d, b.d) || a.dist - b.dist || a.p.id - b.p.id);

  const spread = band(Math.max(0, ...context.members.map((m) => Math.hypot(m.dx, m.dy))), SPREAD_BANDS);
  const key = `tactics/v${SITUATION_KEY_VERSION} ${JSON.stringify({
    pack: { spread, members: members.map((x) => x.d) },
    foes: foes.map((f) => ['player', ...f.d]),
    terrain: terrainClass(t),
  })}`;

  const slotOf = new Map<ActorId, number>(members.map((x, i) => [x.m.id, i + 1]));
  const labelOf = new Map<ActorId, number>(foes.map((f, i) => [f.p.id, foeLabel(i + 1)]));
  const relative: BattleContext = {
    pack: 'pack',
    time: 0,
    leader: 1,
    origin: { x: 0, y: 0 },
    members: members.map(({ m }, i) => ({ ...m, id: i + 1 })),
    players: foes.map(({ p }, i) => ({ ...p, id: foeLabel(i + 1), name: '' })),
    terrain: t,
    events: context.events.map((e) => relabelEvent(e, slotOf, labelOf)),
  };
  return { key, context: relative, members: members.map((x) => x.m.id), players: foes.map((f) => f.p.id) };
}

function terrainClass(t: TerrainSummary): number[] {
  return [countBand(t.chokepoints.length), countBand(t.water.length), countBand(t.cover.length)];
}

/**
 * An event line with actor ids replaced by slots and labels. The coordinator writes counts as `N member(s)` and
 * `N left`: those stay. Any other number that is a member's or player's id becomes its slot or label; one that is
 * neither (a fallen member, a player who left) becomes `(gone)`, so no actor id reaches the prompt.
 */
export function relabelEvent(event: string, slotOf: ReadonlyMap<ActorId, number>, labelOf: ReadonlyMap<ActorId, number>): string {
  return event.replace(/\b\d+\b(?! member\(s\)| left\b)/g, (tok) => {
    const id = Number(tok);
    const s = slotOf.get(id) ?? labelOf.get(id);
    return s === undefined ? '(gone)' : String(s);
  });
}

/** How a slot plan was mapped back onto a battle's ids: the plan, and what could not be mapped. */
export interface MappedPlan {
  readonly plan: Plan;
  /** Assignments dropped because their member slot is not in this battle. */
  readonly droppedMembers: number;
  /** Targets cleared (set to null) because their label is not in this battle: validation then picks the nearest player. */
  readonly clearedTargets: number;
}

/**
 * Map a plan in slots and labels onto a battle's actor ids. An assignment whose slot is not in the situation is
 * dropped; a target label that is not is cleared (the coordinator's validation then gives the member the nearest
 * player). Offsets stay as they are: they were relative to the leader, and still are.
 */
export function planToIds(plan: Plan, situation: Pick<Situation, 'members' | 'players'>): MappedPlan {
  let droppedMembers = 0;
  let clearedTargets = 0;
  const assignments: Assignment[] = [];
  for (const a of plan.assignments) {
    const member = situation.members[a.member - 1];
    if (member === undefined) {
      droppedMembers++;
      continue;
    }
    let target: ActorId | null = null;
    if (a.target !== null) {
      const id = situation.players[a.target - FOE_LABEL_BASE - 1];
      if (id === undefined) clearedTargets++;
      else target = id;
    }
    assignments.push({ ...a, member, target });
  }
  return { plan: { ...plan, assignments }, droppedMembers, clearedTargets };
}

/** Map a plan in a battle's ids into its slots and labels (the inverse of {@link planToIds}); ids not in it map to 0. */
export function planToSlots(plan: Plan, situation: Pick<Situation, 'members' | 'players'>): Plan {
  return {
    ...plan,
    assignments: plan.assignments.map((a) => ({
      ...a,
      member: situation.members.indexOf(a.member) + 1,
      target: a.target === null ? null : situation.players.includes(a.target) ? foeLabel(situation.players.indexOf(a.target) + 1) : 0,
    })),
  };
}
