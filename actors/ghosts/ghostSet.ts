import { newBody } from '../body.ts';
import type { Body } from '../body.ts';
import type { ActorId } from '../ids.ts';
import { setGhostBody } from './ghostBody.ts';
import type { GhostBody } from './ghostBody.ts';

/** A ghost as this world keeps it: a body for the spatial index, what it is, and who published it. */
export interface Ghost {
  readonly source: string;
  kind: string;
  tags: Readonly<Record<string, string | number | boolean>> | null;
  shielded: boolean;
  readonly body: Body;
}

/**
 * The read-only margin of the neighbouring zones' actors: bodies that perception, pathing and fights here see, but
 * that are never stepped, never hashed and never snapshotted. Each source's set is replaced as a whole.
 */
export class GhostSet {
  private readonly byId = new Map<ActorId, Ghost>();
  private readonly bySource = new Map<string, Set<ActorId>>();
  /** Ids of ghosts of kind `player`. */
  readonly players = new Set<ActorId>();
  private sortedBodies: Body[] = [];
  private sortedDirty = false;

  get size(): number {
    return this.byId.size;
  }

  get(id: ActorId): Ghost | undefined {
    return this.byId.get(id);
  }

  /** The ghosts' bodies in ascending id (do not keep across steps). */
  bodies(): readonly Body[] {
    if (this.sortedDirty) {
      this.sortedBodies = [...this.byId.values()].map((g) => g.body).sort((a, b) => a.id - b.id);
      this.sortedDirty = false;
    }
    return this.sortedBodies;
  }

  /**
   * Replace what `source` published with `ghosts` (ids for which `isReal` holds are skipped: an actor living here is
   * never shadowed). Ghosts of `source` missing from the list vanish. Returns the ids skipped.
   */
  replace(source: string, ghosts: readonly GhostBody[], isReal: (id: ActorId) => boolean): ActorId[] {
    const skipped: ActorId[] = [];
    const before = this.bySource.get(source);
    const now = new Set<ActorId>();
    for (const g of ghosts) {
      if (isReal(g.id)) {
        skipped.push(g.id);
        continue;
      }
      now.add(g.id);
      let ghost = this.byId.get(g.id);
      if (!ghost || ghost.source !== source) {
        if (ghost) this.bySource.get(ghost.source)?.delete(g.id);
        ghost = { source, kind: g.kind, tags: g.tags ?? null, shielded: g.shielded === true, body: newBody(g.id, { x: g.x, y: g.y, radius: g.radius, speed: g.speed ?? 0, hp: g.hp, maxHp: g.maxHp, faction: g.faction }) };
        this.byId.set(g.id, ghost);
      } else {
        ghost.kind = g.kind;
        ghost.tags = g.tags ?? null;
        ghost.shielded = g.shielded === true;
      }
      setGhostBody(ghost.body, g);
      if (g.kind === 'player') this.players.add(g.id);
      else this.players.delete(g.id);
    }
    if (before) for (const id of before) if (!now.has(id) && this.byId.get(id)?.source === source) this.drop(id);
    if (now.size > 0) this.bySource.set(source, now);
    else this.bySource.delete(source);
    this.sortedDirty = true;
    return skipped;
  }

  /** Every source's ghosts as published (ascending id within a source), sources in the order they first published. */
  published(): { readonly source: string; readonly ghosts: GhostBody[] }[] {
    const out: { source: string; ghosts: GhostBody[] }[] = [];
    for (const [source, ids] of this.bySource) {
      const ghosts: GhostBody[] = [];
      for (const id of [...ids].sort((a, b) => a - b)) {
        const g = this.byId.get(id);
        if (!g || g.source !== source) continue;
        const b = g.body;
        ghosts.push({
          id, kind: g.kind, x: b.x, y: b.y, vx: b.vx, vy: b.vy, heading: b.heading, radius: b.radius, speed: b.speed, hp: b.hp, maxHp: b.maxHp,
          alive: b.alive, faction: b.faction, tags: g.tags, shielded: g.shielded,
        });
      }
      if (ghosts.length > 0) out.push({ source, ghosts });
    }
    return out;
  }

  /** Forget ghost `id` (an actor of that id arrived here); true if there was one. */
  remove(id: ActorId): boolean {
    const g = this.byId.get(id);
    if (!g) return false;
    this.bySource.get(g.source)?.delete(id);
    this.drop(id);
    this.sortedDirty = true;
    return true;
  }

  private drop(id: ActorId): void {
    this.byId.delete(id);
    this.players.delete(id);
  }
}
