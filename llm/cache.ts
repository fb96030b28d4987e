import { stableHash, ValidationError } from '../shared/index.ts';
import type { CacheStore } from './stores/cacheStore.ts';
import { MemoryCacheStore } from './stores/memoryCacheStore.ts';
import type { ChatMessage } from './types.ts';

/** Longest caller-supplied cache key (characters). */
export const MAX_CACHE_KEY_CHARS = 8_192;

/**
 * What identifies a response for caching: never the provider or model, never the tenant. Either the messages
 * (exact match on the normalised prompt) or a caller's own `key` (e.g. a quantised situation); the two never collide.
 */
export type CacheKeyParts = {
  readonly operation: string;
  /** The output JSON schema (or undefined for free text). */
  readonly schema: unknown;
  readonly temperature: number;
  readonly maxTokens: number;
} & ({ readonly messages: readonly ChatMessage[]; readonly key?: undefined } | { readonly key: string; readonly messages?: undefined });

/** Normalise text for the key: unify line endings, trim trailing spaces, collapse blank runs. */
function norm(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * The cache key of a request: from the caller's `key` when given (`<operation>:k:<hash>`), else from the
 * normalised messages (`<operation>:<hash>`). Throws a ValidationError (path `cacheKey`) for a key that is not a
 * string, is empty or is longer than {@link MAX_CACHE_KEY_CHARS}.
 */
export function cacheKey(p: CacheKeyParts): string {
  if (p.key !== undefined) {
    const k: unknown = p.key;
    if (typeof k !== 'string' || k.length === 0 || k.length > MAX_CACHE_KEY_CHARS) {
      const got = typeof k === 'string' ? `${k.length} characters` : typeof k;
      throw new ValidationError('llm request', [{ path: ['cacheKey'], message: `expected a non-empty string of at most ${MAX_CACHE_KEY_CHARS} characters, got ${got}` }]);
    }
    return `${p.operation}:k:${stableHash({ k: p.key, s: p.schema ?? null, t: p.temperature, x: p.maxTokens })}`;
  }
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
