import type { Clock } from '../../shared/index.ts';
import type { CacheStore } from './cacheStore.ts';

/** LRU {@link CacheStore} with per-entry TTL on the injected clock. */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private readonly clock: Clock;
  /** Most entries kept; the least recently used goes first. */
  readonly maxEntries: number;

  constructor(clock: Clock, maxEntries = 10_000) {
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  /** Sync lookup (the gateway's fast path). */
  getSync(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key); // move to most recent
    this.entries.set(key, e);
    return e.value;
  }

  async get(key: string): Promise<string | undefined> {
    return this.getSync(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
