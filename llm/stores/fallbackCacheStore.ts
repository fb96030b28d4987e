import type { CacheStore } from './cacheStore.ts';
import type { RedisLink } from './redisLink.ts';

/** The response cache in Redis, or in a bounded in-memory LRU while Redis is unreachable. */
export class FallbackCacheStore implements CacheStore {
  constructor(private readonly link: RedisLink, private readonly shared: CacheStore, private readonly memory: CacheStore) {}

  get(key: string): Promise<string | undefined> {
    return this.link.sharedOrMemory('cache get', this.shared, this.memory, (s) => s.get(key));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.link.sharedOrMemory('cache set', this.shared, this.memory, (s) => s.set(key, value, ttlMs));
  }
}
