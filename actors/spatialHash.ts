import type { Body } from './body.ts';

/** A bucket holding bodies of more than one faction (no faction is named this). */
const MIXED = '\u0000mixed';
/** Matches no bucket: what a search that is not for foes compares against. */
const ANY = '\u0000any';

/**
 * Spatial hash of living bodies for neighbour queries, rebuilt in one pass (a counting sort into grid cells)
 * whenever positions change, instead of being patched body by body. Positions and cells are copied into flat
 * typed arrays, so a query walks compact memory and dereferences a body only when it is within range.
 *
 * When the bodies' bounding box has at most a few cells per body, cells are laid out densely row by row over
 * that box (neighbouring cells sit side by side in memory); otherwise (a few bodies scattered very far apart)
 * cells are hashed into a table twice the number of bodies, and cells sharing a bucket are told apart by their
 * stored coordinates. Within a cell, bodies keep the order they were given in (ascending id), so every query is
 * deterministic.
 */
export class SpatialHash {
  private n = 0;
  private mask = 0;
  /** Dense layout: origin and width of the cell box; `cols` is 0 in hashed layout. */
  private ox = 0;
  private oy = 0;
  private cols = 0;
  private rows = 0;
  private bodies: Body[] = [];
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);
  private cx = new Int32Array(0);
  private cy = new Int32Array(0);
  private bucketOf = new Int32Array(0);
  /** starts[b] .. starts[b + 1] index `order` for bucket b. */
  private starts = new Int32Array(1);
  private order = new Int32Array(0);
  private next = new Int32Array(0);
  /**
   * The faction every body in bucket b belongs to, or MIXED. Only meaningful for buckets holding bodies (set as
   * they are filled). Lets a search for foes skip, without looking at a body, cells holding only its own side:
   * most of a world is packs of one faction.
   */
  private factions: string[] = [];

  constructor(readonly cellSize: number) {
    if (!(cellSize > 0)) throw new RangeError(`SpatialHash: cellSize must be > 0, got ${cellSize}`);
  }

  /** Number of indexed bodies. */
  get size(): number {
    return this.n;
  }

  /** Bucket of cell (gx, gy), or −1 when no body can be there. */
  private bucketAt(gx: number, gy: number): number {
    if (this.cols > 0) {
      const x = gx - this.ox;
      const y = gy - this.oy;
      return x >= 0 && y >= 0 && x < this.cols && y < this.rows ? y * this.cols + x : -1;
    }
    return (Math.imul(gx, 0x9e3779b1) ^ Math.imul(gy, 0x85ebca77)) & this.mask;
  }

  /**
   * Index the living bodies among `source` (in the order given), replacing what was indexed before. Entries are
   * bodies or anything holding one in `body` (e.g. actors), so callers need not build an intermediate list.
   */
  rebuild(source: readonly (Body | { readonly body: Body | null } | null)[]): void {
    const bodies = this.bodies;
    let n = 0;
    // By index: an unoptimised for-of would allocate an iterator result per entry.
    for (let i = 0; i < source.length; i++) {
      const e = source[i] as Body | { readonly body: Body | null } | null;
      const b = e !== null && 'body' in e ? e.body : e;
      if (b !== null && b.alive) bodies[n++] = b;
    }
    bodies.length = n;
    this.n = n;
    if (this.xs.length < n) {
      const cap = Math.max(64, n + (n >> 1));
      this.xs = new Float64Array(cap);
      this.ys = new Float64Array(cap);
      this.cx = new Int32Array(cap);
      this.cy = new Int32Array(cap);
      this.bucketOf = new Int32Array(cap);
      this.order = new Int32Array(cap);
    }
    const { xs, ys, cx, cy, bucketOf } = this;
    const cs = this.cellSize;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const b = bodies[i] as Body;
      const x = b.x;
      const y = b.y;
      xs[i] = x;
      ys[i] = y;
      const gx = Math.floor(x / cs);
      const gy = Math.floor(y / cs);
      cx[i] = gx;
      cy[i] = gy;
      if (gx < minX) minX = gx;
      if (gx > maxX) maxX = gx;
      if (gy < minY) minY = gy;
      if (gy > maxY) maxY = gy;
    }
    const boxCells = n === 0 ? 0 : (maxX - minX + 1) * (maxY - minY + 1);
    let tableSize: number;
    if (n > 0 && boxCells <= 4 * n + 4096) {
      this.ox = minX;
      this.oy = minY;
      this.cols = maxX - minX + 1;
      this.rows = maxY - minY + 1;
      tableSize = boxCells;
    } else {
      this.cols = 0;
      tableSize = 64;
      while (tableSize < 2 * n) tableSize <<= 1;
      this.mask = tableSize - 1;
    }
    if (this.starts.length < tableSize + 1) this.starts = new Int32Array(tableSize + 1);
    const starts = this.starts;
    starts.fill(0, 0, tableSize + 1);
    for (let i = 0; i < n; i++) {
      const h = this.bucketAt(cx[i] as number, cy[i] as number);
      bucketOf[i] = h;
      starts[h + 1] = (starts[h + 1] as number) + 1;
    }
    for (let h = 0; h < tableSize; h++) starts[h + 1] = (starts[h + 1] as number) + (starts[h] as number);
    // Where each bucket's next body goes: a copy of the starts, in an array kept between rebuilds.
    if (this.next.length < tableSize) this.next = new Int32Array(this.starts.length);
    const fill = this.next;
    fill.set(starts.subarray(0, tableSize));
    const order = this.order;
    if (this.factions.length < tableSize) this.factions = new Array<string>(tableSize).fill(MIXED);
    const factions = this.factions;
    for (let i = 0; i < n; i++) {
      const h = bucketOf[i] as number;
      const at = fill[h] as number;
      order[at] = i;
      fill[h] = at + 1;
      const f = (bodies[i] as Body).faction;
      if (at === starts[h]) factions[h] = f;
      else if (factions[h] !== f) factions[h] = MIXED;
    }
  }

  /** Calls `visit` for every indexed body whose centre is within `radius` of (x, y); stop early by returning true. */
  forEachWithin(x: number, y: number, radius: number, visit: (b: Body, d2: number) => boolean | void): void {
    if (this.n === 0) return;
    const cs = this.cellSize;
    const r2 = radius * radius;
    const { xs, ys, cx, cy, starts, order, bodies } = this;
    const x0 = Math.floor((x - radius) / cs);
    const x1 = Math.floor((x + radius) / cs);
    const y0 = Math.floor((y - radius) / cs);
    const y1 = Math.floor((y + radius) / cs);
    for (let gy = y0; gy <= y1; gy++) {
      for (let gx = x0; gx <= x1; gx++) {
        const h = this.bucketAt(gx, gy);
        if (h < 0) continue;
        const end = starts[h + 1] as number;
        for (let k = starts[h] as number; k < end; k++) {
          const i = order[k] as number;
          if (cx[i] !== gx || cy[i] !== gy) continue;
          const dx = (xs[i] as number) - x;
          const dy = (ys[i] as number) - y;
          const d2 = dx * dx + dy * dy;
          if (d2 <= r2 && visit(bodies[i] as Body, d2) === true) return;
        }
      }
    }
  }

  /**
   * The nearest body to `self` (excluding it, and bodies that died since the rebuild) within `radius` for which
   * `accept(candidate, self)` holds; ties go to the lower id. With `foes`, only bodies of another faction than
   * `self`'s count, and cells holding only its own faction are passed over unread. A plain loop: this is the
   * hottest query.
   */
  nearest(self: Body, radius: number, accept: (candidate: Body, self: Body) => boolean, foes = false): Body | undefined {
    if (this.n === 0) return undefined;
    const cs = this.cellSize;
    const { xs, ys, cx, cy, starts, order, bodies, factions } = this;
    const x = self.x;
    const y = self.y;
    const own = foes ? self.faction : ANY;
    let bestD2 = radius * radius;
    let best: Body | undefined;
    const x0 = Math.floor((x - radius) / cs);
    const x1 = Math.floor((x + radius) / cs);
    const y0 = Math.floor((y - radius) / cs);
    const y1 = Math.floor((y + radius) / cs);
    for (let gy = y0; gy <= y1; gy++) {
      for (let gx = x0; gx <= x1; gx++) {
        const h = this.bucketAt(gx, gy);
        if (h < 0 || factions[h] === own) continue;
        const end = starts[h + 1] as number;
        for (let k = starts[h] as number; k < end; k++) {
          const i = order[k] as number;
          const dx = (xs[i] as number) - x;
          const dy = (ys[i] as number) - y;
          const d2 = dx * dx + dy * dy;
          if (d2 > bestD2 || cx[i] !== gx || cy[i] !== gy) continue;
          const b = bodies[i] as Body;
          if (b === self || !b.alive || (d2 === bestD2 && best !== undefined && b.id > best.id)) continue;
          if ((foes && b.faction === own) || !accept(b, self)) continue;
          best = b;
          bestD2 = d2;
        }
      }
    }
    return best;
  }

  /** Indexed bodies within `radius` of (x, y), ascending id. */
  within(x: number, y: number, radius: number): Body[] {
    const out: Body[] = [];
    this.forEachWithin(x, y, radius, (b) => {
      out.push(b);
    });
    return out.sort((a, b) => a.id - b.id);
  }
}
