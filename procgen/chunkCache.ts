import type { Chunk } from './chunk.ts';
import type { Pack } from './spawns.ts';

/** Counters of a {@link ChunkCache}. */
export interface CacheStats {
  /** Chunks held now. */
  readonly chunks: number;
  /** Most chunks held before the least recently used is evicted. */
  readonly maxChunks: number;
  /** Lookups served from the cache / that had to generate. */
  readonly hits: number;
  readonly misses: number;
  /** Chunks dropped (LRU limit or evictUnused). */
  readonly evicted: number;
}

/** A cached chunk with its bookkeeping (and its packs once computed). */
export interface Entry {
  readonly chunk: Chunk;
  lastUsed: number;
  packs?: Pack[];
}

/** Slot of chunk (cx, cy) in the cache's table of recent entries: the low four bits of each coordinate. */
const slotOf = (cx: number, cy: number): number => ((cx & 15) << 4) | (cy & 15);

const OFFSET = 2 ** 24;
const SPAN = 2 ** 25;

/** Numeric key of chunk (cx, cy); chunk coordinates must lie within ±2^24. */
export function chunkKey(cx: number, cy: number): number {
  if (!(cx >= -OFFSET && cx < OFFSET && cy >= -OFFSET && cy < OFFSET)) throw new RangeError(`chunk (${cx}, ${cy}) is outside the world`);
  return (cx + OFFSET) * SPAN + (cy + OFFSET);
}

/**
 * Generated chunks keyed by coordinates, least-recently-used eviction beyond `maxChunks`. Eviction only
 * costs regeneration time: content is a pure function of the coordinates.
 */
export class ChunkCache {
  private readonly entries = new Map<number, Entry>();
  /**
   * The last entry seen in each of 256 slots by the low bits of (cx, cy), checked before the map: most
   * lookups hit a handful of chunks around the players, and map keys this wide are not small integers (each
   * lookup would box its key).
   */
  private readonly recent: (Entry | undefined)[] = new Array<Entry | undefined>(256).fill(undefined);
  private clock = 0;
  private hits = 0;
  private misses = 0;
  private evicted = 0;

  constructor(readonly maxChunks: number, private readonly generate: (cx: number, cy: number) => Chunk) {}

  /** The entry of chunk (cx, cy), generated on first use; marks it used. */
  entry(cx: number, cy: number): Entry {
    const slot = slotOf(cx, cy);
    const r = this.recent[slot];
    if (r !== undefined && r.chunk.cx === cx && r.chunk.cy === cy) {
      this.hits++;
      r.lastUsed = ++this.clock;
      return r;
    }
    const key = chunkKey(cx, cy);
    let e = this.entries.get(key);
    if (e) {
      this.hits++;
    } else {
      this.misses++;
      e = { chunk: this.generate(cx, cy), lastUsed: 0 };
      this.entries.set(key, e);
      if (this.entries.size > this.maxChunks) this.evictOldest(key);
    }
    e.lastUsed = ++this.clock;
    this.recent[slot] = e;
    return e;
  }

  /** Mark an entry used again (cheap; for hot paths that kept a reference). */
  touch(e: Entry): void {
    e.lastUsed = ++this.clock;
  }

  /** The cached chunk (cx, cy) without generating or marking it. */
  peek(cx: number, cy: number): Chunk | undefined {
    const r = this.recent[slotOf(cx, cy)];
    if (r !== undefined && r.chunk.cx === cx && r.chunk.cy === cy) return r.chunk;
    return this.entries.get(chunkKey(cx, cy))?.chunk;
  }

  /** Drop every chunk for which `drop` returns true; returns how many. */
  evictWhere(drop: (c: Chunk) => boolean): number {
    let n = 0;
    for (const [k, e] of [...this.entries]) if (drop(e.chunk)) { this.forget(k, e); n++; }
    this.evicted += n;
    return n;
  }

  stats(): CacheStats {
    return { chunks: this.entries.size, maxChunks: this.maxChunks, hits: this.hits, misses: this.misses, evicted: this.evicted };
  }

  private evictOldest(keep: number): void {
    let oldest: number | undefined;
    let t = Infinity;
    for (const [k, e] of this.entries) if (k !== keep && e.lastUsed < t) { t = e.lastUsed; oldest = k; }
    const victim = oldest === undefined ? undefined : this.entries.get(oldest);
    if (oldest !== undefined && victim) { this.forget(oldest, victim); this.evicted++; }
  }

  private forget(key: number, e: Entry): void {
    this.entries.delete(key);
    const slot = slotOf(e.chunk.cx, e.chunk.cy);
    if (this.recent[slot] === e) this.recent[slot] = undefined;
  }
}
