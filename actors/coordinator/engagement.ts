import type { Body } from '../body.ts';
import type { ActorId } from '../ids.ts';

/** What engagement detection reads of the world (a subset of the actor context). */
export interface EngagementView {
  players(): Readonly<Body>[];
  within(x: number, y: number, radius: number): Readonly<Body>[];
  tagsOf(id: ActorId): Readonly<Record<string, string | number | boolean>>;
  kindOf(id: ActorId): string;
}

/**
 * Kinds of actor that fight in packs: only monsters follow the coordinator's orders. A `pack` tag on anything else
 * (an NPC, a player) never makes it a member, so the coordinator neither plans for it nor sends it orders.
 */
export const PACK_KINDS: ReadonlySet<string> = new Set(['monster']);

/** A pack within range of players. */
export interface Engagement {
  readonly pack: string;
  /** Living pack members within range of a player, ascending. */
  readonly near: readonly ActorId[];
  /** Players within range of a member, ascending. */
  readonly players: readonly ActorId[];
}

/** The pack tag of a body, or '' when it is not in a pack or not of a kind that fights in packs (see {@link PACK_KINDS}). */
export function packOf(view: EngagementView, b: Readonly<Body>): string {
  const pack = view.tagsOf(b.id).pack;
  if (typeof pack !== 'string' && typeof pack !== 'number') return '';
  return PACK_KINDS.has(view.kindOf(b.id)) ? String(pack) : '';
}

/**
 * Packs engaging players: every pack with a living member within `range` world units of a living player, with
 * the members and players involved. Ordered by the pack's lowest member id, so the result is deterministic.
 * Costs one spatial query per player.
 */
export function detectEngagements(view: EngagementView, range: number): Engagement[] {
  const byPack = new Map<string, { near: Set<ActorId>; players: Set<ActorId>; first: ActorId }>();
  for (const p of view.players()) {
    for (const b of view.within(p.x, p.y, range)) {
      if (b.faction === p.faction) continue;
      const pack = packOf(view, b);
      if (!pack) continue;
      let e = byPack.get(pack);
      if (!e) byPack.set(pack, (e = { near: new Set(), players: new Set(), first: b.id }));
      e.near.add(b.id);
      e.players.add(p.id);
      if (b.id < e.first) e.first = b.id;
    }
  }
  return [...byPack.entries()]
    .sort((a, b) => a[1].first - b[1].first)
    .map(([pack, e]) => ({ pack, near: [...e.near].sort((x, y) => x - y), players: [...e.players].sort((x, y) => x - y) }));
}

/** The members of `pack` within `radius` of (x, y), ascending (a roster taken around a seen member). */
export function rosterAround(view: EngagementView, pack: string, x: number, y: number, radius: number): ActorId[] {
  const out: ActorId[] = [];
  for (const b of view.within(x, y, radius)) if (packOf(view, b) === pack) out.push(b.id);
  return out;
}

/** The pack's leader: its lowest-id living member (deterministic; the next one takes over when it falls), or 0. */
export function leaderOf(members: readonly ActorId[], alive: (id: ActorId) => boolean): ActorId {
  let best = 0;
  for (const id of members) if (alive(id) && (best === 0 || id < best)) best = id;
  return best;
}
