import type { CostGrid } from './grid.ts';
import { DX, DY, STEP_LEN } from './grid.ts';
import type { Tile, TileRect } from './grid.ts';
import { MinHeap } from './minHeap.ts';

/**
 * Directions toward one target over a rectangle of tiles, for a pack sharing a destination: each tile
 * knows its cost to the target and which neighbour to step to. Costs use the A* rules (step length ×
 * moveCost of the tile entered, no corner cutting), so following the field is a cheapest path.
 */
export class FlowField {
  constructor(
    /** The tile everything flows to. */
    readonly target: Tile,
    /** The rectangle covered. */
    readonly bounds: TileRect,
    private readonly dist: Float64Array,
    private readonly dir: Int8Array,
  ) {}

  private index(tx: number, ty: number): number {
    const x = Math.floor(tx) - this.bounds.x0, y = Math.floor(ty) - this.bounds.y0;
    return x < 0 || y < 0 || x >= this.bounds.w || y >= this.bounds.h ? -1 : y * this.bounds.w + x;
  }

  /** Cost from tile (tx, ty) to the target; Infinity when outside the field or unreachable. */
  costAt(tx: number, ty: number): number {
    const i = this.index(tx, ty);
    return i < 0 ? Infinity : (this.dist[i] as number);
  }

  /** The step {dx, dy} (each -1..1) to take from tile (tx, ty), or null at the target or when no path. */
  direction(tx: number, ty: number): { dx: number; dy: number } | null {
    const i = this.index(tx, ty);
    const d = i < 0 ? -1 : (this.dir[i] as number);
    return d < 0 ? null : { dx: DX[d] as number, dy: DY[d] as number };
  }

  /** The next tile from (tx, ty), or null at the target or when no path. */
  next(tx: number, ty: number): Tile | null {
    const d = this.direction(tx, ty);
    return d ? { x: Math.floor(tx) + d.dx, y: Math.floor(ty) + d.dy } : null;
  }

  /**
   * A unit vector (world axes) to steer along from a continuous position in world units, aiming at the
   * centre of the next tile; {x: 0, y: 0} at the target or when no path. `tileSize` in world units per tile.
   */
  steer(wx: number, wy: number, tileSize = 1): { x: number; y: number } {
    const tx = Math.floor(wx / tileSize), ty = Math.floor(wy / tileSize);
    const n = this.next(tx, ty) ?? (tx === this.target.x && ty === this.target.y ? this.target : null);
    if (!n) return { x: 0, y: 0 };
    const ex = (n.x + 0.5) * tileSize - wx, ey = (n.y + 0.5) * tileSize - wy;
    const len = Math.hypot(ex, ey);
    return len < 1e-9 ? { x: 0, y: 0 } : { x: ex / len, y: ey / len };
  }
}

/**
 * A resumable flow-field build (Dijkstra outward from the target over `bounds`). Call {@link step} with an
 * expansion budget until {@link done}, then read {@link field}.
 */
export class FlowFieldBuild {
  expanded = 0;
  private readonly dist: Float64Array;
  private readonly dir: Int8Array;
  private readonly cost: Float32Array;
  private readonly closed: Uint8Array;
  private readonly heap = new MinHeap();
  private out: FlowField | undefined;

  constructor(private readonly terrain: CostGrid, readonly target: Tile, readonly bounds: TileRect) {
    if (!(bounds.w > 0 && bounds.h > 0 && Number.isInteger(bounds.w) && Number.isInteger(bounds.h))) {
      throw new RangeError(`FlowFieldBuild: bounds must have positive integer w, h; got ${bounds.w} × ${bounds.h}`);
    }
    const n = bounds.w * bounds.h;
    this.dist = new Float64Array(n).fill(Infinity);
    this.dir = new Int8Array(n).fill(-1);
    this.cost = new Float32Array(n).fill(NaN);
    this.closed = new Uint8Array(n);
    const tx = Math.floor(target.x) - bounds.x0, ty = Math.floor(target.y) - bounds.y0;
    if (tx >= 0 && ty >= 0 && tx < bounds.w && ty < bounds.h) {
      const t = ty * bounds.w + tx;
      if (this.costAt(t) < Infinity) {
        this.dist[t] = 0;
        this.heap.push(t, 0);
      }
    }
  }

  get done(): boolean {
    return this.out !== undefined;
  }

  /** The finished field; throws if not done. */
  get field(): FlowField {
    if (!this.out) throw new Error('FlowFieldBuild: not done yet');
    return this.out;
  }

  private costAt(i: number): number {
    let c = this.cost[i] as number;
    if (c !== c) {
      const x = i % this.bounds.w;
      c = this.terrain.moveCost(this.bounds.x0 + x, this.bounds.y0 + (i - x) / this.bounds.w);
      this.cost[i] = c;
    }
    return c;
  }

  /** Settle at most `budget` tiles (≥ 1). Returns how many were settled. */
  step(budget: number): number {
    if (this.out) return 0;
    const { w, h } = this.bounds;
    const { dist, dir, closed, heap } = this;
    let used = 0;
    while (used < budget) {
      const b = heap.pop();
      if (b < 0) {
        this.out = new FlowField({ x: Math.floor(this.target.x), y: Math.floor(this.target.y) }, this.bounds, dist, dir);
        return used;
      }
      if (closed[b]) continue;
      closed[b] = 1;
      used++;
      this.expanded++;
      const x = b % w, y = (b - x) / w;
      const cb = this.costAt(b);
      const db = dist[b] as number;
      for (let d = 0; d < 8; d++) {
        const nx = x + (DX[d] as number), ny = y + (DY[d] as number);
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const a = ny * w + nx;
        if (closed[a] || !(this.costAt(a) < Infinity)) continue;
        if (d >= 4 && !(this.costAt(y * w + nx) < Infinity && this.costAt(ny * w + x) < Infinity)) continue;
        // Stepping from a to b (the opposite of direction d) costs len × moveCost(b).
        const nd = db + (STEP_LEN[d] as number) * cb;
        if (nd < (dist[a] as number)) {
          dist[a] = nd;
          dir[a] = d < 4 ? (d + 2) % 4 : 4 + ((d - 4 + 2) % 4);
          heap.push(a, nd);
        }
      }
    }
    return used;
  }
}

/** Build a flow field toward `target` over `bounds` in one go. */
export function buildFlowField(terrain: CostGrid, target: Tile, bounds: TileRect): FlowField {
  const b = new FlowFieldBuild(terrain, target, bounds);
  while (!b.done) b.step(Infinity);
  return b.field;
}
