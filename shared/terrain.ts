/**
 * What the simulation needs to know about the ground it moves on. A flat placeholder and the
 * procedural world both implement it. Coordinates are in tiles; world units are tiles × `tileSize`.
 */
export interface TerrainQuery {
  /** Size of one tile in world units. */
  readonly tileSize: number;
  /** Whether an actor may stand on tile (tx, ty). */
  isWalkable(tx: number, ty: number): boolean;
  /** Movement cost multiplier of tile (tx, ty): 1 is open ground, higher is slower; Infinity if unwalkable. */
  moveCost(tx: number, ty: number): number;
  /** Cover of tile (tx, ty), 0 (none) .. 1 (full); 0 when the ground does not say. */
  cover?(tx: number, ty: number): number;
  /** Extent of the walkable world, when it is bounded. */
  readonly bounds?: TerrainBounds;
}

/** Optional extent of a bounded ground, in tiles from (0, 0). Lets the simulation index space densely. */
export interface TerrainBounds {
  readonly width: number;
  readonly height: number;
}
