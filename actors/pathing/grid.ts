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
  /**
   * Optional bulk read: write the costs of the w × h tiles from (x0, y0) into `out`, row r starting at
   * `offset + r * stride`. Searches read costs a block at a time through it when the ground offers it.
   */
  moveCostRect?(x0: number, y0: number, w: number, h: number, out: Float32Array, offset: number, stride: number): void;
}

/** Side of the aligned blocks searches read costs in. */
export const COST_BLOCK = 16;

/**
 * Fill `cost` (a window of stride `stride` whose cell (1, 1) is tile (x0, y0), one cell of border all
 * round) for the aligned block holding window cell `i`, clipped to the inner w × h cells; returns cost[i].
 */
export function fillCostBlock(terrain: CostGrid, cost: Float32Array, i: number, stride: number, x0: number, y0: number, w: number, h: number): number {
  const cx = (i % stride) - 1, cy = ((i - cx - 1) / stride) - 1;
  const tx = x0 + cx, ty = y0 + cy;
  // The aligned block holding (tx, ty), clipped to the window.
  const ax = tx - (((tx % COST_BLOCK) + COST_BLOCK) % COST_BLOCK), ay = ty - (((ty % COST_BLOCK) + COST_BLOCK) % COST_BLOCK);
  const bx = Math.max(ax, x0), by = Math.max(ay, y0);
  const bw = Math.min(ax + COST_BLOCK, x0 + w) - bx, bh = Math.min(ay + COST_BLOCK, y0 + h) - by;
  const offset = (by - y0 + 1) * stride + (bx - x0 + 1);
  if (terrain.moveCostRect) terrain.moveCostRect(bx, by, bw, bh, cost, offset, stride);
  else {
    for (let r = 0; r < bh; r++) {
      for (let c = 0; c < bw; c++) cost[offset + r * stride + c] = terrain.moveCost(bx + c, by + r);
    }
  }
  return cost[i] as number;
}
