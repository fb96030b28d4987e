import type { Redis } from 'ioredis';
import type { CacheStore } from './cacheStore.ts';

/** {@link CacheStore} in Redis (`SET … PX ttl`); Redis's own eviction policy bounds its size. */
export class RedisCacheStore implements CacheStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix = 'llm:') {
    this.redis = redis;
    this.prefix = `${prefix}cache:`;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }
}
