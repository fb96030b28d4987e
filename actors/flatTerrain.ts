import type { TerrainQuery } from '../shared/index.ts';

/**
 * A flat, bounded placeholder ground: every tile in [0, width) × [0, height) is open (cost 1) unless listed
 * as a wall; everything outside is unwalkable.
 */
export class FlatTerrain implements TerrainQuery {
  readonly tileSize = 1;
  private readonly walls: Set<number>;
  private readonly hasWalls: boolean;
  readonly bounds: { readonly width: number; readonly height: number };

  constructor(readonly width: number, readonly height: number, walls: Iterable<readonly [number, number]> = []) {
    if (!(width > 0 && height > 0)) throw new RangeError(`FlatTerrain: width and height must be > 0, got ${width}×${height}`);
    this.bounds = { width, height };
    this.walls = new Set([...walls].map(([x, y]) => y * width + x));
    this.hasWalls = this.walls.size > 0;
  }

  isWalkable(tx: number, ty: number): boolean {
    return tx >= 0 && ty >= 0 && tx < this.width && ty < this.height && !(this.hasWalls && this.walls.has(ty * this.width + tx));
  }

  moveCost(tx: number, ty: number): number {
    return this.isWalkable(tx, ty) ? 1 : Infinity;
  }
}
