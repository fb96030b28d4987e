import type { CostGrid } from './grid.ts';
import { DX, DY, STEP_LEN, octile } from './grid.ts';
import type { Tile } from './grid.ts';
import { MinHeap } from './minHeap.ts';

/** Options of an A* search. */
export interface AStarOptions {
  /** Most nodes expanded before giving up with status `limit` (default 10,000). */
  readonly maxNodes?: number;
  /** Tiles the search may stray outside the bounding box of start and goal (default 16). */
  readonly margin?: number;
  /** Lowest moveCost the terrain can report, for the heuristic (default 1; must be a lower bound). */
  readonly minCost?: number;
  /**
   * Heuristic weight ≥ 1 (default 1: paths are cheapest). Above 1 the search expands far fewer nodes and
   * returns paths at most `heuristicWeight` times the cheapest cost (weighted A*).
   */
  readonly heuristicWeight?: number;
}

/** Outcome of a path search. */
export interface PathResult {
  /**
   * `found`: `path` is a cheapest path; `unreachable`: no path inside the search window; `limit`: gave up
   * after `maxNodes` expansions, and `path` leads to the explored tile closest to the goal (may be just the start).
   */
  readonly status: 'found' | 'unreachable' | 'limit';
  /** Tiles from start to end, both included (empty when unreachable). */
  readonly path: readonly Tile[];
  /** Sum over steps of step length (1 or √2 tiles) × moveCost of the tile entered. */
  readonly cost: number;
  /** Nodes expanded. */
  readonly expanded: number;
}

const OPEN = 1, CLOSED = 2;

/**
 * Round f to 1e-10 tiles so float noise in sums of 1s and √2s does not hide exact ties (the error this
 * adds to path costs is below 1e-9).
 */
const quantize = (f: number): number => Math.round(f * 1e10) / 1e10;

/**
 * A resumable A* search over a `CostGrid` on the 8-neighbour tile grid. Moving from a tile to a
 * neighbour costs step length × moveCost(neighbour); diagonal steps need both orthogonal neighbours
 * walkable (no corner cutting). The search stays inside the bounding box of start and goal grown by
 * `margin`, and expands at most `maxNodes` nodes. Call {@link step} with an expansion budget until
 * {@link done}; ties are broken deterministically.
 */
export class AStarSearch {
  /** Nodes expanded so far. */
  expanded = 0;
  private res: PathResult | undefined;
  private readonly x0: number;
  private readonly y0: number;
  private readonly w: number;
  private readonly h: number;
  private readonly g: Float64Array;
  private readonly parent: Int32Array;
  private readonly state: Uint8Array;
  private readonly cost: Float32Array;
  private readonly heap = new MinHeap();
  private readonly goalIdx: number;
  private readonly maxNodes: number;
  private readonly minCost: number;
  private readonly gx: number;
  private readonly gy: number;
  private best: number;
  private bestH = Infinity;

  constructor(private readonly terrain: CostGrid, readonly from: Tile, readonly to: Tile, opts: AStarOptions = {}) {
    const margin = opts.margin ?? 16;
    this.maxNodes = opts.maxNodes ?? 10_000;
    this.minCost = (opts.minCost ?? 1) * Math.max(1, opts.heuristicWeight ?? 1);
    const fx = Math.floor(from.x), fy = Math.floor(from.y), tx = Math.floor(to.x), ty = Math.floor(to.y);
    this.x0 = Math.min(fx, tx) - margin;
    this.y0 = Math.min(fy, ty) - margin;
    this.w = Math.abs(fx - tx) + 2 * margin + 1;
    this.h = Math.abs(fy - ty) + 2 * margin + 1;
    const n = this.w * this.h;
    this.g = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.state = new Uint8Array(n);
    this.cost = new Float32Array(n).fill(NaN);
    const start = (fy - this.y0) * this.w + (fx - this.x0);
    this.gx = tx - this.x0;
    this.gy = ty - this.y0;
    this.goalIdx = this.gy * this.w + this.gx;
    this.best = start;
    if (!(terrain.moveCost(tx, ty) < Infinity)) {
      this.res = { status: 'unreachable', path: [], cost: Infinity, expanded: 0 };
      return;
    }
    this.g[start] = 0;
    this.parent[start] = -1;
    this.state[start] = OPEN;
    this.heap.push(start, this.heuristic(fx - this.x0, fy - this.y0), 0);
  }

  /** Whether the search has finished ({@link result} is available). */
  get done(): boolean {
    return this.res !== undefined;
  }

  /** The outcome; throws if the search is not done. */
  get result(): PathResult {
    if (!this.res) throw new Error('AStarSearch: not done yet');
    return this.res;
  }

  /** Estimated cost from window cell (x, y) to the goal. */
  private heuristic(x: number, y: number): number {
    return octile(this.gx - x, this.gy - y) * this.minCost;
  }

  private costAt(i: number): number {
    let c = this.cost[i] as number;
    if (c !== c) {
      const x = i % this.w;
      c = this.terrain.moveCost(this.x0 + x, this.y0 + (i - x) / this.w);
      this.cost[i] = c;
    }
    return c;
  }

  /** Expand at most `budget` nodes (≥ 1). Returns how many were expanded. */
  step(budget: number): number {
    if (this.res) return 0;
    const { w, h, g, state, parent, heap } = this;
    let used = 0;
    while (used < budget) {
      if (this.expanded >= this.maxNodes) return used + this.finish('limit', this.best);
      const i = heap.pop();
      if (i < 0) return used + this.finish('unreachable', -1);
      if (state[i] === CLOSED) continue;
      state[i] = CLOSED;
      used++;
      this.expanded++;
      if (i === this.goalIdx) return used + this.finish('found', i);
      const x = i % w, y = (i - x) / w;
      const hi = this.heuristic(x, y);
      if (hi < this.bestH) { this.bestH = hi; this.best = i; }
      const gi = g[i] as number;
      for (let d = 0; d < 8; d++) {
        const nx = x + (DX[d] as number), ny = y + (DY[d] as number);
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const j = ny * w + nx;
        if (state[j] === CLOSED) continue;
        const cj = this.costAt(j);
        if (!(cj < Infinity)) continue;
        if (d >= 4 && !(this.costAt(y * w + nx) < Infinity && this.costAt(ny * w + x) < Infinity)) continue;
        const ng = gi + (STEP_LEN[d] as number) * cj;
        if (state[j] === OPEN && ng >= (g[j] as number)) continue;
        g[j] = ng;
        parent[j] = i;
        state[j] = OPEN;
        // Ties on f go to the node nearer the goal: far fewer expansions on open ground.
        const hj = this.heuristic(nx, ny);
        heap.push(j, quantize(ng + hj), hj);
      }
    }
    return used;
  }

  private finish(status: PathResult['status'], end: number): number {
    if (end < 0) {
      this.res = { status, path: [], cost: Infinity, expanded: this.expanded };
      return 0;
    }
    const path: Tile[] = [];
    for (let i = end; i >= 0; i = this.parent[i] as number) {
      const x = i % this.w;
      path.push({ x: this.x0 + x, y: this.y0 + (i - x) / this.w });
    }
    path.reverse();
    this.res = { status, path, cost: this.g[end] as number, expanded: this.expanded };
    return 0;
  }
}

/** Find a cheapest path from `from` to `to` in one go (see {@link AStarSearch} for the rules). */
export function findPath(terrain: CostGrid, from: Tile, to: Tile, opts: AStarOptions = {}): PathResult {
  const s = new AStarSearch(terrain, from, to, opts);
  while (!s.done) s.step(Infinity);
  return s.result;
}
