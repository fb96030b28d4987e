import type { ActorId, World } from '../actors/index.ts';
import type { WorldGen } from '../procgen/index.ts';
import { Rng } from '../shared/index.ts';
import { farthestPoints } from './spawnSites.ts';
import type { Site } from './spawnSites.ts';

/** Where joins land: spread over the world (the least crowded of sites far apart), or near the players already there. */
export const SPAWN_LAYOUTS = ['spread', 'gather'] as const;
export type SpawnLayout = (typeof SPAWN_LAYOUTS)[number];

/** How joins are placed. */
export interface SafeSpawnsOptions {
  /** `spread` (default) or `gather`. */
  readonly layout?: SpawnLayout;
  /** Seed of the spread sites (the room's world seed). */
  readonly seed?: string;
  /** Centre of the square region players spawn in (default the origin; a zone's centre in a zoned world). */
  readonly centre?: { readonly x: number; readonly y: number };
}

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
/** Spread sites: about one per this many world units squared, between MIN_SITES and MAX_SITES. */
const SITE_AREA = 64 * 64;
const MIN_SITES = 4;
const MAX_SITES = 64;
/** Candidates for spread sites lie on a grid of this many cells a side over the world. */
const SITE_GRID = 32;
/** Candidates searched around a spread site for a safe free point. */
const NEAR_SITE = 200;
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
 * not on top of another player. Candidates lie on golden-angle spirals (around the centre, or around a spread site
 * for joins that spread), so the answer depends only on the world (deterministic for a seed and the same inputs).
 */
export class SafeSpawns {
  /** Join points handed out recently, with the tick: taken until their avatars exist. */
  private handed: { readonly x: number; readonly y: number; readonly tick: number }[] = [];

  /** The spread sites, picked on first use (the terrain does not change where they lie). */
  private sites: Site[] | undefined;
  readonly layout: SpawnLayout;
  private readonly seed: string;
  /** The region's centre tile. */
  private readonly cx: number;
  private readonly cy: number;

  constructor(private readonly world: World, private readonly gen: WorldGen, private readonly worldSize: number, options: SafeSpawnsOptions = {}) {
    this.layout = options.layout ?? 'spread';
    if (!SPAWN_LAYOUTS.includes(this.layout)) throw new RangeError(`SafeSpawns: layout must be one of ${SPAWN_LAYOUTS.join(', ')}, got '${String(this.layout)}'`);
    this.seed = options.seed ?? 'spawns';
    this.cx = Math.floor(options.centre?.x ?? 0);
    this.cy = Math.floor(options.centre?.y ?? 0);
  }

  /** A safe point for a join, by the layout: {@link forJoinSpread} or {@link forJoinGather}. */
  forJoin(): SpawnPoint {
    const tick = this.world.tick;
    this.handed = this.handed.filter((h) => tick - h.tick <= HANDED_TICKS);
    return this.layout === 'spread' ? this.forJoinSpread() : this.forJoinGather();
  }

  /**
   * A safe point for a join, spread over the world: the world's spread sites (farthest-point sampling over
   * walkable easy ground, seeded by the world seed) are ranked by how many players are nearer to them than to any
   * other site (points handed out in the last {@link HANDED_TICKS} ticks count too), and the first safe free point
   * on a spiral around the least crowded site is taken (ties go to the site sampled first). So players spread over
   * the whole world instead of crowding one spot, and the answer depends only on the world and the joins so far.
   */
  forJoinSpread(): SpawnPoint {
    const sites = this.spreadSites();
    const danger = this.danger();
    const crowd = sites.map(() => 0);
    const count = (x: number, y: number): void => {
      let best = 0, bestD = Number.POSITIVE_INFINITY;
      sites.forEach((s, i) => {
        const d = (s.x - x) ** 2 + (s.y - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      });
      crowd[best]!++;
    };
    for (const id of this.world.players) {
      const b = this.world.actors.get(id)?.body;
      if (b?.alive) count(b.x, b.y);
    }
    for (const h of this.handed) count(h.x, h.y);
    const order = sites.map((_, i) => i).sort((a, b) => crowd[a]! - crowd[b]! || a - b);
    let best: { p: SpawnPoint; clearance: number } | undefined;
    for (const i of order) {
      const site = sites[i]!;
      for (let k = 0; k < NEAR_SITE; k++) {
        const p = this.candidate(k, Math.floor(site.x), Math.floor(site.y));
        if (!p) continue;
        const clearance = this.clearance(p, danger);
        if (clearance <= 0) {
          if (!best || clearance > best.clearance) best = { p, clearance };
          continue;
        }
        if (this.crowded(p, 0) || this.handed.some((h) => Math.hypot(h.x - p.x, h.y - p.y) < PLAYER_SPACING)) continue;
        return this.hand(p);
      }
    }
    return this.hand(best?.p ?? this.fallback());
  }

  /** The spread sites: walkable easy ground, far apart, covering the world's populated region. */
  spreadSites(): readonly Site[] {
    if (this.sites) return this.sites;
    const rng = Rng.create(`spawn-grid:${this.seed}`);
    const half = Math.floor(this.worldSize / 2) - 2;
    const step = (2 * half) / SITE_GRID;
    const candidates: Site[] = [];
    for (let gy = 0; gy < SITE_GRID; gy++) {
      for (let gx = 0; gx < SITE_GRID; gx++) {
        const tx = this.cx + Math.floor(-half + (gx + rng.float(0.2, 0.8)) * step), ty = this.cy + Math.floor(-half + (gy + rng.float(0.2, 0.8)) * step);
        const p = this.easyTileNear(tx, ty);
        if (p) candidates.push(p);
      }
    }
    const count = Math.max(MIN_SITES, Math.min(MAX_SITES, Math.round((this.worldSize * this.worldSize) / SITE_AREA)));
    this.sites = farthestPoints(candidates, count, this.seed);
    if (this.sites.length === 0) this.sites = [{ x: 0.5, y: 0.5 }];
    return this.sites;
  }

  /**
   * A safe point for a join, near the players already there: the safe points are ranked by their distance from the living player
   * nearest the first safe point out from the centre (or from that point when no one is in the world), and the
   * nearest one no player stands on is taken. So friends who join one after the other land within sight of each
   * other; points handed out in the last {@link HANDED_TICKS} ticks count as taken, so two joins in one tick (before
   * either avatar exists) get different points.
   */
  forJoinGather(): SpawnPoint {
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

  /**
   * The `k`th point of the spiral round tile (cx, cy) (the world's centre by default), snapped to the centre of a
   * walkable tile of easy ground inside the region; undefined if none near.
   */
  private candidate(k: number, cx = this.cx, cy = this.cy): SpawnPoint | undefined {
    const angle = k * 2.399963; // golden angle: successive points spread evenly round the centre
    const r = 2 + Math.sqrt(k) * 2.5;
    const p = this.easyTileNear(cx + Math.round(Math.cos(angle) * r), cy + Math.round(Math.sin(angle) * r));
    return p && this.named(p.x, p.y);
  }

  /** The centre of tile (tx, ty) or of a neighbour, if walkable easy ground inside the region. */
  private easyTileNear(tx: number, ty: number): Site | undefined {
    const half = Math.floor(this.worldSize / 2) - 2;
    for (const [dx, dy] of NEIGHBOURS) {
      const x = tx + dx, y = ty + dy;
      if (Math.abs(x - this.cx) > half || Math.abs(y - this.cy) > half) continue;
      if (!this.gen.isWalkable(x, y) || this.gen.moveCost(x, y) > EASY_GROUND) continue;
      return { x: x + 0.5, y: y + 0.5 };
    }
    return undefined;
  }

  /** The first walkable tile out from the centre, when nothing better exists. */
  private fallback(): SpawnPoint {
    for (let ring = 0; ring < 64; ring++) {
      for (let dx = -ring; dx <= ring; dx++) {
        for (let dy = -ring; dy <= ring; dy++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) === ring && this.gen.isWalkable(this.cx + dx, this.cy + dy)) return this.named(this.cx + dx + 0.5, this.cy + dy + 0.5);
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
