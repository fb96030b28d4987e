import { SharedStoreUnavailableError } from '../errors.ts';
import type { CacheStore } from './cacheStore.ts';
import type { RedisLink } from './redisLink.ts';

/** The response cache in Redis, or in a bounded in-memory LRU while Redis is unreachable. */
export class FallbackCacheStore implements CacheStore {
  private readonly link: RedisLink;
  private readonly shared: CacheStore;
  private readonly memory: CacheStore;

  constructor(link: RedisLink, shared: CacheStore, memory: CacheStore) {
    this.link = link;
    this.shared = shared;
    this.memory = memory;
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await this.link.run('cache get', () => this.shared.get(key));
    } catch (err) {
      if (!(err instanceof SharedStoreUnavailableError)) throw err;
      return this.memory.get(key);
    }
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    try {
      await this.link.run('cache set', () => this.shared.set(key, value, ttlMs));
    } catch (err) {
      if (!(err instanceof SharedStoreUnavailableError)) throw err;
      await this.memory.set(key, value, ttlMs);
    }
  }
}
