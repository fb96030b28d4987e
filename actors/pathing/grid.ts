/** A tile position (integer tile coordinates). */
export interface Tile {
  readonly x: number;
  readonly y: number;
}

/** A rectangle of tiles: top-left (x0, y0), size w × h. */
export interface TileRect {
  readonly x0: number;
  readonly y0: number;
  readonly w: number;
  readonly h: number;
}

/** The 8 neighbour steps: 0..3 orthogonal (E, S, W, N), 4..7 diagonal (SE, SW, NW, NE). */
export const DX = [1, 0, -1, 0, 1, -1, -1, 1] as const;
export const DY = [0, 1, 0, -1, 1, 1, -1, -1] as const;
/** Length of each step in tiles. */
export const STEP_LEN = [1, 1, 1, 1, Math.SQRT2, Math.SQRT2, Math.SQRT2, Math.SQRT2] as const;

/** Octile distance in tiles: the shortest 8-neighbour path length on open ground. */
export function octile(dx: number, dy: number): number {
  const ax = Math.abs(dx), ay = Math.abs(dy);
  return ax > ay ? ax + (Math.SQRT2 - 1) * ay : ay + (Math.SQRT2 - 1) * ax;
}

/**
 * What path finding reads from the ground: the shared `TerrainQuery` satisfies it (declared here
 * structurally so this folder needs no import: the lint pattern for `../../shared/index.ts` from a nested
 * folder currently rejects it).
 */
export interface CostGrid {
  /** Movement cost multiplier of tile (tx, ty): ≥ 1, Infinity if unwalkable. */
  moveCost(tx: number, ty: number): number;
}
