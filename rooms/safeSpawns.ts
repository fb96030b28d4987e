import type { ActorId, World } from '../actors/index.ts';
import type { WorldGen } from '../procgen/index.ts';

/** Extra distance (world units) kept beyond a hostile monster's perception. */
export const SAFE_MARGIN = 4;
/** Perception of a monster spawned without one (the monster behaviour's default). */
const DEFAULT_PERCEPTION = 8;
/** How close (world units) two players may be put. */
const PLAYER_SPACING = 2;
/** How long (ticks) a join point handed out counts as taken, covering the ticks before its avatar exists. */
const HANDED_TICKS = 40;
/** Farthest point of the spiral searched, as a number of candidates. */
const CANDIDATES = 600;
/** Spawn choices offered after a death are at least this far apart (world units). */
const CHOICE_SPACING = 14;
/** Ground no slower than this is preferred for spawning (grass 1, forest 1.5; swamp and shallows are slower). */
const EASY_GROUND = 1.5;

/** A safe point to (re)spawn a player at, with a name in words. */
export interface SpawnPoint {
  readonly id: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

const BIOME_WORDS: Readonly<Record<string, string>> = {
  grassland: 'meadow', forest: 'woods', swamp: 'marsh', desert: 'sands', hills: 'hills', snow: 'snowfield', beach: 'shore', shallowWater: 'shallows',
};

/** The hostile monsters' positions and the distance each must be kept at, read once per search. */
interface Danger {
  readonly reach: number;
  readonly near: (x: number, y: number) => number;
}

/**
 * Where players can spawn without a hostile monster noticing them: walkable, easy ground inside the world's
 * populated region, farther from every living hostile monster than its perception plus {@link SAFE_MARGIN}, and
 * not on top of another player. Candidates lie on a golden-angle spiral around the centre, so the answer depends
 * only on the world (deterministic for a seed and the same inputs).
 */
export class SafeSpawns {
  /** Join points handed out recently, with the tick: taken until their avatars exist. */
  private handed: { readonly x: number; readonly y: number; readonly tick: number }[] = [];

  constructor(private readonly world: World, private readonly gen: WorldGen, private readonly worldSize: number) {}

  /**
   * A safe point for a join. Players gather: the safe points are ranked by their distance from the living player
   * nearest the first safe point out from the centre (or from that point when no one is in the world), and the
   * nearest one no player stands on is taken. So friends who join one after the other land within sight of each
   * other; points handed out in the last {@link HANDED_TICKS} ticks count as taken, so two joins in one tick (before
   * either avatar exists) get different points.
   */
  forJoin(): SpawnPoint {
    const danger = this.danger();
    const safe: SpawnPoint[] = [];
    let best: { p: SpawnPoint; clearance: number } | undefined;
    for (let k = 0; k < CANDIDATES; k++) {
      const p = this.candidate(k);
      if (!p) continue;
      const clearance = this.clearance(p, danger);
      if (clearance > 0) safe.push(p);
      else if (!best || clearance > best.clearance) best = { p, clearance };
    }
    const tick = this.world.tick;
    this.handed = this.handed.filter((h) => tick - h.tick <= HANDED_TICKS);
    const first = safe[0];
    if (!first) return this.hand(best?.p ?? this.fallback());
    const anchor = this.nearestPlayer(first) ?? first;
    const d = (q: SpawnPoint): number => (q.x - anchor.x) ** 2 + (q.y - anchor.y) ** 2;
    // Stable: equal distances keep spiral order, so the choice depends only on the world and the points handed out.
    const ranked = safe.map((p, i) => ({ p, i, d: d(p) })).sort((a, b) => a.d - b.d || a.i - b.i).map((r) => r.p);
    const free = ranked.find((p) => !this.crowded(p, 0) && !this.handed.some((h) => Math.hypot(h.x - p.x, h.y - p.y) < PLAYER_SPACING));
    return this.hand(free ?? ranked[0]!);
  }

  private hand(p: SpawnPoint): SpawnPoint {
    this.handed.push({ x: p.x, y: p.y, tick: this.world.tick });
    return p;
  }

  /** The living player nearest to `p`, if any. */
  private nearestPlayer(p: { x: number; y: number }): { x: number; y: number } | undefined {
    let found: { x: number; y: number } | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (const id of this.world.players) {
      const b = this.world.actors.get(id)?.body;
      if (!b?.alive) continue;
      const dd = (b.x - p.x) ** 2 + (b.y - p.y) ** 2;
      if (dd < bestD) {
        bestD = dd;
        found = { x: b.x, y: b.y };
      }
    }
    return found;
  }

  /**
   * Up to `count` safe points far apart from each other, for a player choosing where to come back (`except`: its own
   * avatar, which does not crowd them). The first is the default. Never empty: without a safe point, the least
   * dangerous one is offered.
   */
  choices(count = 3, except: ActorId = 0): SpawnPoint[] {
    const danger = this.danger();
    const out: SpawnPoint[] = [];
    let best: { p: SpawnPoint; clearance: number } | undefined;
    for (let k = 0; k < CANDIDATES && out.length < count; k++) {
      const p = this.candidate(k);
      if (!p) continue;
      const clearance = this.clearance(p, danger);
      if (!best || clearance > best.clearance) best = { p, clearance };
      if (clearance <= 0 || this.crowded(p, except)) continue;
      if (out.some((o) => Math.hypot(o.x - p.x, o.y - p.y) < CHOICE_SPACING)) continue;
      out.push(p);
    }
    if (out.length === 0) out.push(best?.p ?? this.fallback());
    // Distinct ids even where two points share a name.
    const seen = new Map<string, number>();
    return out.map((p) => {
      const n = (seen.get(p.id) ?? 0) + 1;
      seen.set(p.id, n);
      return n === 1 ? p : { ...p, id: `${p.id}-${n}`, name: `${p.name} ${n}` };
    });
  }

  /** Whether a point is safe now (farther than every hostile monster's perception plus the margin). */
  isSafe(x: number, y: number): boolean {
    return this.clearance({ x, y }, this.danger()) > 0;
  }

  /** Distance to spare from the nearest hostile monster's reach (> 0: safe). */
  private clearance(p: { x: number; y: number }, danger: Danger): number {
    return danger.near(p.x, p.y);
  }

  /**
   * The hostile monsters' reach, answered from the world's spatial hash (as of the last step): one pass finds the
   * longest reach, then each check visits only the bodies within it.
   */
  private danger(): Danger {
    const world = this.world;
    let reach = 0;
    for (const a of world.actors.values()) {
      if (a.kind === 'monster' && a.body?.alive && a.body.faction !== 'players') reach = Math.max(reach, perceptionOf(a.params) + SAFE_MARGIN);
    }
    return {
      reach,
      near: (x, y) => {
        let spare = Number.POSITIVE_INFINITY;
        if (reach === 0) return spare;
        world.spatial.forEachWithin(x, y, reach, (b, d2) => {
          const a = world.actors.get(b.id);
          if (a?.kind !== 'monster' || !b.alive || b.faction === 'players') return;
          spare = Math.min(spare, Math.sqrt(d2) - (perceptionOf(a.params) + SAFE_MARGIN));
        });
        return spare;
      },
    };
  }

  private crowded(p: { x: number; y: number }, except: ActorId): boolean {
    for (const id of this.world.players) {
      if (id === except) continue;
      const b = this.world.actors.get(id)?.body;
      if (b?.alive && Math.hypot(b.x - p.x, b.y - p.y) < PLAYER_SPACING) return true;
    }
    return false;
  }

  /** The `k`th point of the spiral, snapped to the centre of a walkable tile of easy ground inside the region; undefined if none near. */
  private candidate(k: number): SpawnPoint | undefined {
    const angle = k * 2.399963; // golden angle: successive points spread evenly round the centre
    const r = 2 + Math.sqrt(k) * 2.5;
    const tx = Math.round(Math.cos(angle) * r), ty = Math.round(Math.sin(angle) * r);
    const half = Math.floor(this.worldSize / 2) - 2;
    for (const [dx, dy] of NEIGHBOURS) {
      const x = tx + dx, y = ty + dy;
      if (Math.abs(x) > half || Math.abs(y) > half) continue;
      if (!this.gen.isWalkable(x, y) || this.gen.moveCost(x, y) > EASY_GROUND) continue;
      return this.named(x + 0.5, y + 0.5);
    }
    return undefined;
  }

  /** The first walkable tile out from the centre, when nothing better exists. */
  private fallback(): SpawnPoint {
    for (let ring = 0; ring < 64; ring++) {
      for (let dx = -ring; dx <= ring; dx++) {
        for (let dy = -ring; dy <= ring; dy++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) === ring && this.gen.isWalkable(dx, dy)) return this.named(dx + 0.5, dy + 0.5);
        }
      }
    }
    return this.named(0.5, 0.5);
  }

  private named(x: number, y: number): SpawnPoint {
    const biome = BIOME_WORDS[this.gen.biomeAt(Math.floor(x), Math.floor(y))] ?? 'clearing';
    const where = directionOf(x, y);
    const name = `${where} ${biome}`;
    return { id: name.toLowerCase().replace(/\s+/g, '-'), name: name[0]!.toUpperCase() + name.slice(1), x, y };
  }
}

const NEIGHBOURS: readonly (readonly [number, number])[] = [[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1], [1, 1], [-1, 1], [1, -1], [-1, -1]];

/** A monster's perception radius from its params. */
function perceptionOf(params: unknown): number {
  const p = (params as { perception?: unknown } | null)?.perception;
  return typeof p === 'number' && Number.isFinite(p) ? p : DEFAULT_PERCEPTION;
}

/** Where a point lies from the world's centre, in words (y grows southward on screen). */
function directionOf(x: number, y: number): string {
  if (Math.hypot(x, y) < 6) return 'central';
  const a = Math.atan2(y, x); // 0 = east
  const sector = Math.round(a / (Math.PI / 4));
  return ['eastern', 'south-eastern', 'southern', 'south-western', 'western', 'north-western', 'northern', 'north-eastern'][(sector + 8) % 8]!;
}
