import type { CostGrid } from './grid.ts';
import { DX, DY, STEP_LEN, fillCostBlock } from './grid.ts';
import type { Tile } from './grid.ts';

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

/** Cost-window mark of a closed node. */
const CLOSED_COST = -1;
const DIAG = Math.SQRT2 - 1;
/** For each orthogonal step (grid.ts's order: E, S, W, N), the diagonals a wall there blocks (bit d - 4 for diagonal d). */
const WALL_BLOCKS = Int32Array.of(0b1001, 0b0011, 0b0110, 0b1100, 0, 0, 0, 0);

/**
 * The heuristic is scaled by 1 + 2^-40, so among paths of equal cost the node nearer the goal comes first
 * (far fewer expansions on open ground) with a single comparison of keys. Float noise in sums of 1s and √2s
 * is some 1e-14 of f, well below the tie-break it must not hide; the price is a path cost at most 2^-40
 * (about 1e-12) of itself above the cheapest.
 */
const TIE_SCALE = 1 + 2 ** -40;
/**
 * Buckets per unit of f in the open set (see {@link AStarSearch}). Finer buckets hold fewer nodes each but leave
 * more empty ones to step over; 64 to 256 measured best on generated ground.
 */
const BUCKETS = 128;

/**
 * Per-cell arrays of one search window. Windows are pooled: a search of about 100 tiles touches arrays of
 * some 18,000 cells, and allocating (zeroing) them anew each time cost as much as a third of the search.
 */
class Window {
  readonly g: Float64Array;
  /** Key (f) of each heap slot, beside the slot's node so sifting reads keys in a row. */
  readonly heapF: Float64Array;
  readonly h: Float64Array;
  readonly parent: Int32Array;
  readonly pos: Int32Array;
  readonly heap: Int32Array;
  readonly cost: Float32Array;
  /** Links of the bucket lists (open nodes whose f lies beyond the current bucket). */
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** First node of each bucket list (-1: empty), a ring indexed by bucket number; grows when a key falls past it. */
  head = new Int32Array(2048).fill(-1);
  /** The heuristic's goal-disc term by Chebyshev distance to the goal (see {@link AStarSearch}). */
  disc = new Float64Array(64);
  constructor(readonly capacity: number) {
    this.g = new Float64Array(capacity);
    this.heapF = new Float64Array(capacity);
    this.h = new Float64Array(capacity);
    this.parent = new Int32Array(capacity);
    this.pos = new Int32Array(capacity);
    this.heap = new Int32Array(capacity);
    this.cost = new Float32Array(capacity);
    this.next = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
  }
}

const pool: Window[] = [];
const POOL_SIZE = 4;

function acquire(n: number): Window {
  let best = -1;
  for (let k = 0; k < pool.length; k++) {
    const c = (pool[k] as Window).capacity;
    if (c >= n && (best < 0 || c < (pool[best] as Window).capacity)) best = k;
  }
  if (best >= 0) return pool.splice(best, 1)[0] as Window;
  return new Window(Math.max(1024, 2 ** Math.ceil(Math.log2(n))));
}

function release(win: Window): void {
  if (pool.length < POOL_SIZE) pool.push(win);
  else {
    let smallest = 0;
    for (let k = 1; k < pool.length; k++) if ((pool[k] as Window).capacity < (pool[smallest] as Window).capacity) smallest = k;
    if ((pool[smallest] as Window).capacity < win.capacity) pool[smallest] = win;
  }
}

/**
 * Place node j with key fj at slot k of the 4-ary heap, moving it up past larger parents (ties: the smaller node
 * first), and record where it ends.
 */
function siftUp(heap: Int32Array, heapF: Float64Array, pos: Int32Array, k: number, j: number, fj: number): void {
  while (k > 0) {
    const p = (k - 1) >> 2;
    const fq = heapF[p] as number;
    if (fj > fq || (fj === fq && j > (heap[p] as number))) break;
    const q = heap[p] as number;
    heap[k] = q; heapF[k] = fq;
    pos[q] = k;
    k = p;
  }
  heap[k] = j; heapF[k] = fj;
  pos[j] = k;
}

/**
 * A resumable A* search over a `CostGrid` on the 8-neighbour tile grid. Moving from a tile to a
 * neighbour costs step length × moveCost(neighbour); diagonal steps need both orthogonal neighbours
 * walkable (no corner cutting). The search stays inside the bounding box of start and goal grown by
 * `margin`, and expands at most `maxNodes` nodes. Call {@link step} with an expansion budget until
 * {@link done}; ties are broken deterministically (lower f, then nearer the goal, then first reached).
 *
 * The heuristic is minCost × octile distance plus a bound on the last tiles into the goal (see
 * {@link measureDisc}). The open set is two-level: f is cut into buckets of 1/BUCKETS; the nodes of the
 * current (lowest) bucket sit in an indexed 4-ary heap with decrease-key, and later buckets are unordered
 * linked lists, moved into the heap when the search reaches them. Pops then sift a heap of a few nodes rather
 * than the whole frontier, and the pop order is exactly that of one heap over all open nodes (f, then index).
 * Everything lives in typed arrays, and costs are read from the ground a 16 × 16 block at a time into a window
 * with a one-cell border of walls, so the inner loop has no bounds checks and no calls.
 */
export class AStarSearch {
  /** Nodes expanded so far. */
  expanded = 0;
  private res: PathResult | undefined;
  private win: Window | undefined;
  private readonly x0: number;
  private readonly y0: number;
  private readonly w: number;
  private readonly h: number;
  /**
   * Row length of the window arrays: w plus the border on both sides, rounded up to a power of two so a
   * cell's column and row are a mask and a shift rather than two divisions per expansion.
   */
  private readonly stride: number;
  private readonly shift: number;
  private readonly goalIdx: number;
  private readonly maxNodes: number;
  /** minCost × heuristicWeight × TIE_SCALE: what octile distance is multiplied by. */
  private readonly hScale: number;
  private readonly gx: number;
  private readonly gy: number;
  /** Window index step of each of the 8 neighbour moves. */
  private readonly off: Int32Array;
  private heapSize = 0;
  /** Number of the current bucket: the heap holds the open nodes with f below its end, the lists the rest. */
  private cur = 0;
  /** Open nodes in bucket lists. */
  private listed = 0;
  private bmask = 0;
  private best: number;
  private bestH = Infinity;

  constructor(private readonly terrain: CostGrid, readonly from: Tile, readonly to: Tile, opts: AStarOptions = {}) {
    const margin = opts.margin ?? 16;
    this.maxNodes = opts.maxNodes ?? 10_000;
    this.hScale = (opts.minCost ?? 1) * Math.max(1, opts.heuristicWeight ?? 1) * TIE_SCALE;
    const fx = Math.floor(from.x), fy = Math.floor(from.y), tx = Math.floor(to.x), ty = Math.floor(to.y);
    this.x0 = Math.min(fx, tx) - margin;
    this.y0 = Math.min(fy, ty) - margin;
    this.w = Math.abs(fx - tx) + 2 * margin + 1;
    this.h = Math.abs(fy - ty) + 2 * margin + 1;
    this.shift = Math.ceil(Math.log2(this.w + 2));
    const s = (this.stride = 2 ** this.shift);
    this.off = Int32Array.from(DX, (dx, d) => dx + (DY[d] as number) * s);
    this.gx = tx - this.x0;
    this.gy = ty - this.y0;
    this.goalIdx = (this.gy + 1) * s + this.gx + 1;
    const start = (fy - this.y0 + 1) * s + (fx - this.x0 + 1);
    this.best = start;
    if (!(terrain.moveCost(tx, ty) < Infinity)) {
      this.res = { status: 'unreachable', path: [], cost: Infinity, expanded: 0 };
      return;
    }
    const n = s * (this.h + 2);
    const win = (this.win = acquire(n));
    win.g.fill(Infinity, 0, n);
    win.cost.fill(NaN, 0, n);
    win.cost.fill(Infinity, 0, s);
    win.cost.fill(Infinity, n - s, n);
    for (let r = 1; r <= this.h; r++) { win.cost[r * s] = Infinity; win.cost[r * s + this.w + 1] = Infinity; }
    // The start's own cost gates diagonal steps around it later.
    fillCostBlock(terrain, win.cost, start, s, this.x0, this.y0, this.w, this.h);
    win.g[start] = 0;
    win.parent[start] = -1;
    const weight = Math.max(1, opts.heuristicWeight ?? 1) * TIE_SCALE;
    this.measureDisc(win, opts.minCost ?? 1, weight);
    const ax = Math.abs(this.gx - (fx - this.x0)), ay = Math.abs(this.gy - (fy - this.y0));
    win.h[start] = ax > ay ? (ax + DIAG * ay) * this.hScale + (win.disc[ax] as number) : (ay + DIAG * ax) * this.hScale + (win.disc[ay] as number);
    win.heapF[0] = win.h[start] as number;
    win.heap[0] = start;
    win.pos[start] = 0;
    this.heapSize = 1;
    this.cur = Math.floor((win.h[start] as number) * BUCKETS);
    win.head.fill(-1);
    this.bmask = win.head.length - 1;
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

  /** Expand at most `budget` nodes (≥ 1). Returns how many were expanded. */
  step(budget: number): number {
    if (this.res) return 0;
    // One loop over local arrays: this runs some 4,000 times per 100-tile path, and method calls or property
    // reads per neighbour showed up as a third of the time (siftUp, a plain function, is inlined).
    const win = this.win as Window;
    const { g, h, parent, pos, heap, heapF, cost, disc, next, prev } = win;
    let head = win.head, bmask = this.bmask, cur = this.cur, listed = this.listed;
    const s = this.stride, mask = s - 1, shift = this.shift, gx = this.gx, gy = this.gy, hScale = this.hScale, goal = this.goalIdx;
    const maxNodes = this.maxNodes;
    const off = this.off;
    let n = this.heapSize, used = 0, bestH = this.bestH, best = this.best;
    const left = Math.min(budget, maxNodes - this.expanded);
    while (used < left) {
      if (n === 0) {
        // The heap is empty: move the next bucket that holds nodes into it.
        if (listed === 0) { this.heapSize = 0; this.listed = 0; this.expanded += used; return used + this.finish('unreachable', -1); }
        let slot = 0;
        do { cur++; slot = cur & bmask; } while ((head[slot] as number) < 0);
        let j = head[slot] as number;
        head[slot] = -1;
        while (j >= 0) {
          const nx = next[j] as number;
          siftUp(heap, heapF, pos, n++, j, (g[j] as number) + (h[j] as number));
          listed--;
          j = nx;
        }
      }
      // Pop the smallest (f, index) from the 4-ary heap (every listed node has a larger f).
      const i = heap[0] as number;
      n--;
      if (n > 0) {
        // Move the hole at the root down to a leaf along the smaller children, then sift the last entry up
        // from there: it usually belongs near the bottom, so this saves a comparison per level.
        const last = heap[n] as number;
        const fl = heapF[n] as number;
        let k = 0;
        for (;;) {
          const c0 = 4 * k + 1;
          if (c0 >= n) break;
          const cEnd = c0 + 4 < n ? c0 + 4 : n;
          let ck = c0, fc = heapF[c0] as number;
          for (let t = c0 + 1; t < cEnd; t++) {
            const fr = heapF[t] as number;
            if (fr < fc || (fr === fc && (heap[t] as number) < (heap[ck] as number))) { ck = t; fc = fr; }
          }
          const c = heap[ck] as number;
          heap[k] = c; heapF[k] = fc;
          pos[c] = k;
          k = ck;
        }
        siftUp(heap, heapF, pos, k, last, fl);
      }
      // Closed nodes are marked in the cost window (any negative cost): one read per neighbour tells closed,
      // unread, wall or open ground. The start may be a wall tile; it stays one (nothing enters it).
      if ((cost[i] as number) < Infinity) cost[i] = CLOSED_COST;
      used++;
      if (i === goal) { this.heapSize = n; this.expanded += used; return used + this.finish('found', i); }
      const hi = h[i] as number;
      if (hi < bestH) { bestH = hi; best = i; }
      const gi = g[i] as number;
      const x = (i & mask) - 1, y = (i >> shift) - 1;
      // Diagonals (bits 0..3: SE, SW, NW, NE) blocked by a wall among the orthogonal neighbours, which come
      // first: no corner cutting.
      let blocked = 0;
      for (let d = 0; d < 8; d++) {
        const j = i + (off[d] as number);
        let cj = cost[j] as number;
        if (cj < 0) continue;
        if (!(cj < Infinity)) {
          if (cj === cj) { blocked |= WALL_BLOCKS[d] as number; continue; }
          cj = fillCostBlock(this.terrain, cost, j, s, this.x0, this.y0, this.w, this.h);
          if (!(cj < Infinity)) { blocked |= WALL_BLOCKS[d] as number; continue; }
        }
        // A diagonal step needs both orthogonal neighbours walkable (no corner cutting); their costs are
        // read by now (steps 0..3 come first, and a closed neighbour was read when it was reached).
        if (d >= 4 && ((blocked >> (d - 4)) & 1) !== 0) continue;
        const ng = gi + (STEP_LEN[d] as number) * cj;
        const gj = g[j] as number;
        let hj: number;
        if (gj < Infinity) {
          // Open already: keep the cheaper way in.
          if (ng >= gj) continue;
          hj = h[j] as number;
          const pj = pos[j] as number;
          if (pj >= 0) {
            g[j] = ng;
            parent[j] = i;
            siftUp(heap, heapF, pos, pj, j, ng + hj);
            continue;
          }
          // Listed (pos holds -1 - its slot): unlink, and file it again below by its new f.
          const pv = prev[j] as number, nx = next[j] as number;
          if (pv >= 0) next[pv] = nx;
          else head[-1 - pj] = nx;
          if (nx >= 0) prev[nx] = pv;
          listed--;
        } else {
          const ax = Math.abs(gx - x - (DX[d] as number)), ay = Math.abs(gy - y - (DY[d] as number));
          hj = ax > ay ? (ax + DIAG * ay) * hScale + (disc[ax] as number) : (ay + DIAG * ax) * hScale + (disc[ay] as number);
          h[j] = hj;
        }
        g[j] = ng;
        parent[j] = i;
        // The current bucket or below (a weighted heuristic can go below) goes into the heap; later ones are listed.
        const f = ng + hj;
        const b = Math.floor(f * BUCKETS);
        if (b <= cur) {
          siftUp(heap, heapF, pos, n++, j, f);
          continue;
        }
        if (b - cur > bmask) {
          this.listed = listed;
          this.regrow(win, cur, b);
          head = win.head;
          bmask = this.bmask;
        }
        const slot = b & bmask, hd = head[slot] as number;
        next[j] = hd;
        prev[j] = -1;
        if (hd >= 0) prev[hd] = j;
        head[slot] = j;
        pos[j] = -1 - slot;
        listed++;
      }
    }
    this.cur = cur;
    this.listed = listed;
    this.heapSize = n;
    this.bestH = bestH;
    this.best = best;
    this.expanded += used;
    if (this.expanded >= maxNodes) this.finish('limit', best);
    return used;
  }

  /**
   * Fill `win.disc` (scaled by `weight`): for each Chebyshev distance D from the goal, what the heuristic adds
   * to minCost × octile distance. The last k tiles a path enters lie within distance k - 1 of the goal, so each
   * costs at least the cheapest tile of that disc; entry D sums, over the discs of radius 0 .. D - 1, how far
   * that cheapest cost lies above minCost. It stays a lower bound (and consistent: one step changes D by at most
   * 1 and enters a tile of the disc it leaves out), and on open ground it is the goal's own cost minus
   * minCost. Goals inside swamp, forest or hills get a far tighter bound, so the search expands fewer tiles.
   * The discs are read ring by ring until one holds a tile at minCost; beyond it every entry is the same.
   */
  private measureDisc(win: Window, minCost: number, weight: number): void {
    const w = this.w, h = this.h, s = this.stride, cost = win.cost;
    const cx = this.gx + 1, cy = this.gy + 1;
    const dmax = Math.max(cx - 1, w - cx, cy - 1, h - cy);
    if (win.disc.length < dmax + 1) win.disc = new Float64Array(2 ** Math.ceil(Math.log2(dmax + 1)));
    const disc = win.disc;
    let lowest = Infinity, sum = 0, r = 0;
    disc[0] = 0;
    const read = (x: number, y: number): void => {
      const i = y * s + x;
      let c = cost[i] as number;
      if (c !== c) c = fillCostBlock(this.terrain, cost, i, s, this.x0, this.y0, w, h);
      if (c < lowest) lowest = c;
    };
    while (r < dmax) {
      // Ring r: the tiles at Chebyshev distance r from the goal, clipped to the window.
      const xa = Math.max(1, cx - r), xb = Math.min(w, cx + r), ya = Math.max(1, cy - r), yb = Math.min(h, cy + r);
      if (cy - r >= 1) for (let x = xa; x <= xb; x++) read(x, cy - r);
      if (r > 0 && cy + r <= h) for (let x = xa; x <= xb; x++) read(x, cy + r);
      if (r > 0) {
        for (let y = Math.max(ya, cy - r + 1); y <= Math.min(yb, cy + r - 1); y++) {
          if (cx - r >= 1) read(cx - r, y);
          if (cx + r <= w) read(cx + r, y);
        }
      }
      const above = lowest - minCost;
      if (!(above > 0)) break;
      sum += above * weight;
      disc[++r] = sum;
    }
    disc.fill(sum, r + 1, dmax + 1);
  }

  /** Widen the bucket ring so that bucket `b` fits beside `cur`, re-linking every listed node. */
  private regrow(win: Window, cur: number, b: number): void {
    const old = win.head;
    let size = old.length;
    while (b - cur >= size) size *= 2;
    const head = new Int32Array(size).fill(-1);
    const { g, h, next, prev, pos } = win;
    for (let slot = 0; slot < old.length; slot++) {
      for (let j = old[slot] as number; j >= 0;) {
        const nx = next[j] as number;
        const s2 = Math.floor(((g[j] as number) + (h[j] as number)) * BUCKETS) & (size - 1), hd = head[s2] as number;
        next[j] = hd;
        prev[j] = -1;
        if (hd >= 0) prev[hd] = j;
        head[s2] = j;
        pos[j] = -1 - s2;
        j = nx;
      }
    }
    win.head = head;
    this.bmask = size - 1;
  }

  private finish(status: PathResult['status'], end: number): number {
    const win = this.win as Window;
    this.win = undefined;
    if (end < 0) {
      this.res = { status, path: [], cost: Infinity, expanded: this.expanded };
    } else {
      const path: Tile[] = [];
      const s = this.stride;
      for (let i = end; i >= 0; i = win.parent[i] as number) {
        path.push({ x: this.x0 + (i & (s - 1)) - 1, y: this.y0 + (i >> this.shift) - 1 });
      }
      path.reverse();
      this.res = { status, path, cost: win.g[end] as number, expanded: this.expanded };
    }
    release(win);
    return 0;
  }
}

/** Find a cheapest path from `from` to `to` in one go (see {@link AStarSearch} for the rules). */
export function findPath(terrain: CostGrid, from: Tile, to: Tile, opts: AStarOptions = {}): PathResult {
  const s = new AStarSearch(terrain, from, to, opts);
  while (!s.done) s.step(Infinity);
  return s.result;
}
