import { stableHash } from './stableHash.ts';

/**
 * The zone grid of a world: squares of `size` tiles, zone (zx, zy) covering x in [zx·size, (zx+1)·size) and
 * y likewise. A world of `worldSize` tiles centred on (0, 0) spans the zones that overlap it. Pure geometry, the
 * same in the server, the client and the tools.
 */

/** Zone coordinates are limited to this range on each axis (so actor id ranges fit 32 bits). */
export const ZONE_COORD_MIN = -16;
export const ZONE_COORD_MAX = 15;

/** Tiles past a border an actor must be before it is handed over (no ping-pong on the line). */
export const ZONE_HYSTERESIS = 2;

/** Width of the read-only margin of neighbours' actors a zone keeps (world units). */
export const ZONE_MARGIN = 12;

export interface ZoneCoord {
  readonly x: number;
  readonly y: number;
}

/** The zone grid of one world. */
export interface ZoneGrid {
  /** Side of a zone, tiles. */
  readonly size: number;
  /** The zones a world covers, inclusive. */
  readonly min: ZoneCoord;
  readonly max: ZoneCoord;
}

/** The grid of a world of `worldSize` tiles centred on the origin, cut into zones of `zoneSize`. */
export function zoneGrid(worldSize: number, zoneSize: number): ZoneGrid {
  if (!(Number.isInteger(zoneSize) && zoneSize >= 16)) throw new RangeError(`zoneSize must be an integer >= 16, got ${zoneSize}`);
  const half = Math.floor(worldSize / 2);
  const min = { x: Math.floor(-half / zoneSize), y: Math.floor(-half / zoneSize) };
  const max = { x: Math.floor((worldSize - half - 1) / zoneSize), y: Math.floor((worldSize - half - 1) / zoneSize) };
  if (min.x < ZONE_COORD_MIN || max.x > ZONE_COORD_MAX) {
    throw new RangeError(`a world of ${worldSize} tiles in zones of ${zoneSize} needs zones ${min.x}..${max.x}; zones must lie in ${ZONE_COORD_MIN}..${ZONE_COORD_MAX} (use bigger zones)`);
  }
  return { size: zoneSize, min, max };
}

/** Whether zone `z` is part of the grid. */
export function inGrid(grid: ZoneGrid, z: ZoneCoord): boolean {
  return z.x >= grid.min.x && z.x <= grid.max.x && z.y >= grid.min.y && z.y <= grid.max.y;
}

/** The zone holding world position (x, y) (it may lie outside the grid). */
export function zoneAt(grid: ZoneGrid, x: number, y: number): ZoneCoord {
  return { x: Math.floor(x / grid.size), y: Math.floor(y / grid.size) };
}

/** The square a zone covers: [x0, x1) × [y0, y1). */
export function zoneBounds(grid: ZoneGrid, z: ZoneCoord): { x0: number; y0: number; x1: number; y1: number } {
  return { x0: z.x * grid.size, y0: z.y * grid.size, x1: (z.x + 1) * grid.size, y1: (z.y + 1) * grid.size };
}

/**
 * Where an actor at (x, y) owned by zone `z` belongs now: `z` itself while it is inside or within the hysteresis
 * of its borders, else the grid zone it stands in (an actor past the world's edge stays where it is).
 */
export function ownerZone(grid: ZoneGrid, z: ZoneCoord, x: number, y: number): ZoneCoord {
  const b = zoneBounds(grid, z);
  const h = ZONE_HYSTERESIS;
  if (x >= b.x0 - h && x < b.x1 + h && y >= b.y0 - h && y < b.y1 + h) return z;
  const to = zoneAt(grid, x, y);
  return inGrid(grid, to) ? to : z;
}

/** The grid neighbours of `z` (up to eight), in a fixed order. */
export function neighbours(grid: ZoneGrid, z: ZoneCoord): ZoneCoord[] {
  const out: ZoneCoord[] = [];
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      if (dx === 0 && dy === 0) continue;
      const n = { x: z.x + dx, y: z.y + dy };
      if (inGrid(grid, n)) out.push(n);
    }
  }
  return out;
}

/** Distance from (x, y) to the square of zone `z` (0 inside). */
export function distanceToZone(grid: ZoneGrid, z: ZoneCoord, x: number, y: number): number {
  const b = zoneBounds(grid, z);
  const dx = x < b.x0 ? b.x0 - x : x >= b.x1 ? x - b.x1 : 0;
  const dy = y < b.y0 ? b.y0 - y : y >= b.y1 ? y - b.y1 : 0;
  return Math.sqrt(dx * dx + dy * dy);
}

/** A short stable name of a zone, `x_y` (used in room ids, channels and metrics). */
export function zoneKey(z: ZoneCoord): string {
  return `${z.x}_${z.y}`;
}

/** The room id of zone `z` of the world with this seed: the same on every process. */
export function zoneRoomId(seed: string | number, z: ZoneCoord): string {
  // The readable part may collide ('a-b' and 'ab'); the hash of the seed keeps the ids apart.
  const readable = String(seed).replace(/[^A-Za-z0-9]/g, '').slice(0, 16) || 'seed';
  return `zone-${readable}-${stableHash(String(seed)).slice(0, 8)}-${zoneKey(z)}`;
}

/** Equal zone coordinates. */
export function sameZone(a: ZoneCoord, b: ZoneCoord): boolean {
  return a.x === b.x && a.y === b.y;
}
