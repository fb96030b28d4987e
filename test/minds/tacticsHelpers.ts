import { buildBattleContext, FlatTerrain, newBody } from '../../actors/index.ts';
import type { ActorId, BattleContext, Body, OrderKind, Plan, PlanReply, PlanRequest, PlanWorld } from '../../actors/index.ts';
import type { TerrainQuery } from '../../shared/index.ts';

/** One body of a layout: an offset from the leader (world units) and what else differs. */
export interface Piece {
  readonly dx: number;
  readonly dy: number;
  readonly hp?: number;
  readonly maxHp?: number;
  readonly species?: string;
  readonly role?: OrderKind;
}
export interface Layout {
  readonly members: readonly Piece[];
  readonly players: readonly Piece[];
}

/** Four wolves around their leader; two players 9–11 units east (sector 0, distance band 8–16). */
export const LAYOUT: Layout = {
  members: [{ dx: 0, dy: 0 }, { dx: 1.2, dy: -0.8 }, { dx: -0.9, dy: 1.1 }, { dx: 0.4, dy: 2 }],
  players: [{ dx: 9, dy: 2, hp: 60 }, { dx: 10.5, dy: -3 }],
};

/** Ground with no features: a translated battle sees the same ground. */
export const OPEN = new FlatTerrain(256, 256);

export interface Battle {
  readonly context: BattleContext;
  readonly world: PlanWorld;
  readonly members: readonly Body[];
  readonly players: readonly Body[];
}

/**
 * A battle with `layout` around a leader at (ox, oy) at time `time`: members get `ids.members` and players
 * `ids.players` in layout order, named `names`.
 */
export function battleAt(
  ox: number, oy: number, time: number, ids: { members: readonly ActorId[]; players: readonly ActorId[] }, layout: Layout = LAYOUT,
  opts: { terrain?: TerrainQuery; names?: readonly string[]; pack?: string; events?: readonly string[] } = {},
): Battle {
  const terrain = opts.terrain ?? OPEN;
  const body = (id: ActorId, p: Piece, faction: string, maxHp: number): Body =>
    newBody(id, { x: ox + p.dx, y: oy + p.dy, radius: 0.4, speed: 3, hp: p.hp ?? p.maxHp ?? maxHp, maxHp: p.maxHp ?? maxHp, faction });
  const members = layout.members.map((p, i) => body(ids.members[i] as ActorId, p, 'wild', 40));
  const players = layout.players.map((p, i) => body(ids.players[i] as ActorId, p, 'players', 100));
  const leader = members[0] as Body;
  const context = buildBattleContext({
    pack: opts.pack ?? 'p1', time, leader, terrain, events: opts.events ?? [],
    members: members.map((b, i) => ({ body: b, species: layout.members[i]?.species ?? 'wolf', role: layout.members[i]?.role ?? 'none', traits: null })),
    players: players.map((b, i) => ({ body: b, name: opts.names?.[i] ?? `hero${i}` })),
  });
  const world: PlanWorld = {
    terrain, leader: leader.id, origin: context.origin,
    members: new Map(members.map((b) => [b.id, b])), players: new Map(players.map((b) => [b.id, b])),
  };
  return { context, world, members, players };
}

export const slotPlanFor = (_s: unknown, context: BattleContext): Plan => ({
  formation: 'pincer', retreatBelow: 0.2, battleCry: 'Close the jaws!', ttl: 6,
  assignments: context.members.map((m, i) => ({
    member: m.id,
    role: (['bait', 'flankLeft', 'flankRight', 'regroup'] as const)[i % 4] as Plan['assignments'][number]['role'],
    target: i % 4 === 3 ? null : (context.players[i % context.players.length]?.id ?? null),
    x: i % 4 === 3 ? -3 : null,
    y: i % 4 === 3 ? 0 : null,
  })),
});

export const planRequest = (requestId: number, context: BattleContext, over: Partial<PlanRequest> = {}) => ({
  requestId, actor: 99, port: 'plan', deadline: 1e9,
  payload: { context, tier: 'whale', budgetUsd: 1, room: 'r1', deadlineMs: 2000, ...over } satisfies PlanRequest,
});

export const planOf = (r: unknown): Plan => ((r as { value: PlanReply }).value.plan as Plan);
