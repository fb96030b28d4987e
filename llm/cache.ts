import { stableHash } from '../shared/index.ts';
import type { CacheStore } from './stores/cacheStore.ts';
import { MemoryCacheStore } from './stores/memoryCacheStore.ts';
import type { ChatMessage } from './types.ts';

/** What identifies a response for caching: never the provider or model, never the tenant. */
export interface CacheKeyParts {
  readonly operation: string;
  readonly messages: readonly ChatMessage[];
  /** The output JSON schema (or undefined for free text). */
  readonly schema: unknown;
  readonly temperature: number;
  readonly maxTokens: number;
}

/** Normalise text for the key: unify line endings, trim trailing spaces, collapse blank runs. */
function norm(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
}

/** The normalised exact-match key of a request. */
export function cacheKey(p: CacheKeyParts): string {
  const messages = p.messages.map((m) => ({
    r: m.role,
    c: typeof m.content === 'string' ? norm(m.content) : m.content.map((c) => (typeof c === 'string' ? norm(c) : { u: c.label, t: norm(c.text) })),
  }));
  return `${p.operation}:${stableHash({ m: messages, s: p.schema ?? null, t: p.temperature, x: p.maxTokens })}`;
}

/**
 * Exact-match response cache with hit/miss counts. Only successful, validated replies are stored
 * (errors never); operations marked not cacheable (creative) skip it entirely.
 */
export class ResponseCache {
  private readonly store: CacheStore;
  private readonly fast: MemoryCacheStore | undefined;
  hits = 0;
  misses = 0;

  constructor(store: CacheStore) {
    this.store = store;
    this.fast = store instanceof MemoryCacheStore ? store : undefined;
  }

  /** The cached value, or undefined (counts a hit or a miss). Sync for the memory store. */
  get(key: string): unknown | Promise<unknown> {
    if (this.fast) return this.decode(this.fast.getSync(key));
    return this.store.get(key).then((v) => this.decode(v), () => this.decode(undefined));
  }

  private decode(text: string | undefined): unknown {
    if (text === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return (JSON.parse(text) as { v: unknown }).v;
  }

  /** Store a validated value for `ttlMs`. Failures to write are swallowed (the cache is an optimisation). */
  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    try {
      await this.store.set(key, JSON.stringify({ v: value }), ttlMs);
    } catch {
      // a cache write failure must never fail the call
    }
  }

  /** Hits / (hits + misses), 0 when unused. */
  get hitRate(): number {
    const n = this.hits + this.misses;
    return n ? this.hits / n : 0;
  }
}
