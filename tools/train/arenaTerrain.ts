import type { TerrainQuery } from '../../shared/index.ts';

/** Ground of a headless battle: open tiles, walls, slow ground (mud, brush) and cover, on a bounded square. */
export class ArenaTerrain implements TerrainQuery {
  readonly tileSize = 1;
  readonly bounds: { readonly width: number; readonly height: number };
  private readonly cost: Float32Array;
  private readonly shelter: Float32Array;

  constructor(readonly width: number, readonly height: number) {
    this.bounds = { width, height };
    this.cost = new Float32Array(width * height).fill(1);
    this.shelter = new Float32Array(width * height);
  }

  /** Mark a rectangle: `cost` Infinity for a wall, above 1 for slow ground; `cover` 0..1. */
  paint(x0: number, y0: number, w: number, h: number, cost: number, cover = 0): void {
    for (let x = Math.max(0, x0); x < Math.min(this.width, x0 + w); x++) {
      for (let y = Math.max(0, y0); y < Math.min(this.height, y0 + h); y++) {
        this.cost[y * this.width + x] = cost;
        this.shelter[y * this.width + x] = cover;
      }
    }
  }

  isWalkable(tx: number, ty: number): boolean {
    return this.moveCost(tx, ty) !== Infinity;
  }

  moveCost(tx: number, ty: number): number {
    if (tx < 0 || ty < 0 || tx >= this.width || ty >= this.height) return Infinity;
    return this.cost[ty * this.width + tx] as number;
  }

  cover(tx: number, ty: number): number {
    if (tx < 0 || ty < 0 || tx >= this.width || ty >= this.height) return 0;
    return this.shelter[ty * this.width + tx] as number;
  }
}
