import type { TerrainQuery } from '../../shared/index.ts';

/** A point relative to a battle's origin, in world units. */
export interface Offset {
  readonly dx: number;
  readonly dy: number;
}

/** The ground around a battle, as few numbers as a planner needs. Offsets from the origin, nearest first. */
export interface TerrainSummary {
  /** Half-side of the square scanned, in tiles. */
  readonly radius: number;
  /** Fraction of the scanned tiles that are walls or otherwise unwalkable, 0..1. */
  readonly blocked: number;
  /** Walkable tiles pinched between walls (a corridor or gap): hold them, or don't surround there. */
  readonly chokepoints: readonly Offset[];
  /** Slow ground (move cost ≥ 2: shallow water, mud): bad to fight in. */
  readonly water: readonly Offset[];
  /** Tiles with cover ≥ 0.5: good to wait in. */
  readonly cover: readonly Offset[];
}

/** At most this many points of each kind. */
const KEEP = 6;
/** Points of one kind closer than this (tiles) to one already kept are merged into it. */
const MERGE = 2.5;

const round1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * Scan the tiles within `radius` tiles of (cx, cy) (world units) and summarise them relative to the origin
 * (ox, oy): chokepoints (a walkable tile with walls on both sides along one axis), slow ground and cover,
 * nearest to (cx, cy) first, merged so that one corridor is one point. Costs (2r+1)² terrain lookups.
 */
export function terrainAround(terrain: TerrainQuery, cx: number, cy: number, ox: number, oy: number, radius = 8): TerrainSummary {
  const ts = terrain.tileSize;
  const ctx = Math.floor(cx / ts);
  const cty = Math.floor(cy / ts);
  const choke: [number, number, number][] = [];
  const water: [number, number, number][] = [];
  const cover: [number, number, number][] = [];
  let blocked = 0;
  let total = 0;
  const open = (x: number, y: number): boolean => terrain.isWalkable(x, y);
  for (let ty = cty - radius; ty <= cty + radius; ty++) {
    for (let tx = ctx - radius; tx <= ctx + radius; tx++) {
      total++;
      if (!open(tx, ty)) {
        blocked++;
        continue;
      }
      const d2 = (tx - ctx) ** 2 + (ty - cty) ** 2;
      if ((!open(tx - 1, ty) && !open(tx + 1, ty)) || (!open(tx, ty - 1) && !open(tx, ty + 1))) choke.push([tx, ty, d2]);
      const cost = terrain.moveCost(tx, ty);
      if (cost >= 2 && Number.isFinite(cost)) water.push([tx, ty, d2]);
      const c = terrain.cover?.(tx, ty) ?? 0;
      if (c >= 0.5) cover.push([tx, ty, d2]);
    }
  }
  const pick = (list: [number, number, number][]): Offset[] => {
    list.sort((a, b) => a[2] - b[2] || a[1] - b[1] || a[0] - b[0]);
    const kept: [number, number][] = [];
    for (const [tx, ty] of list) {
      if (kept.length >= KEEP) break;
      if (kept.some(([kx, ky]) => (kx - tx) ** 2 + (ky - ty) ** 2 < MERGE * MERGE)) continue;
      kept.push([tx, ty]);
    }
    return kept.map(([tx, ty]) => ({ dx: round1((tx + 0.5) * ts - ox), dy: round1((ty + 0.5) * ts - oy) }));
  };
  return { radius, blocked: Math.round((blocked / total) * 100) / 100, chokepoints: pick(choke), water: pick(water), cover: pick(cover) };
}

/** The nearest walkable tile centre (world units) to (x, y) within `maxTiles`, or null. Ties go to the lower row, then column. */
export function nearestWalkable(terrain: TerrainQuery, x: number, y: number, maxTiles = 4): { x: number; y: number } | null {
  const ts = terrain.tileSize;
  const tx = Math.floor(x / ts);
  const ty = Math.floor(y / ts);
  for (let ring = 0; ring <= maxTiles; ring++) {
    let best: [number, number, number] | null = null;
    for (let dy = -ring; dy <= ring; dy++) {
      for (let dx = -ring; dx <= ring; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        if (!terrain.isWalkable(tx + dx, ty + dy)) continue;
        const cost = terrain.moveCost(tx + dx, ty + dy);
        if (!Number.isFinite(cost)) continue;
        const d2 = dx * dx + dy * dy;
        if (!best || d2 < best[2]) best = [tx + dx, ty + dy, d2];
      }
    }
    if (best) return { x: (best[0] + 0.5) * ts, y: (best[1] + 0.5) * ts };
  }
  return null;
}
