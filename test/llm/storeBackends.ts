import type { Redis } from 'ioredis';
import type { ManualClock } from '../../shared/index.ts';
import { FallbackBreakerStore, FallbackCacheStore, FallbackCounterStore, MemoryBreakerStore, MemoryCacheStore, MemoryCounterStore, RedisBreakerStore, RedisCacheStore, RedisCounterStore, RedisLink } from '../../llm/index.ts';
import type { BreakerStore, CacheStore, CounterStore } from '../../llm/index.ts';
import { startRedis } from './redisServer.ts';
import type { TestRedis } from './redisServer.ts';

/** One backend of the contract suite: a fresh set of stores per call of `make`. */
export interface Backend {
  readonly name: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** Stores sharing one state; two calls of `make` with the same `ns` see the same data (two processes). */
  make(ns: string, clock: ManualClock): { counters: CounterStore; breakers: BreakerStore; cache: CacheStore; redis?: Redis };
}

export function memoryBackend(): Backend {
  const shared = new Map<string, { counters: CounterStore; breakers: BreakerStore; cache: CacheStore }>();
  return {
    name: 'memory',
    async setup() {},
    async teardown() {},
    make(ns, clock) {
      let s = shared.get(ns);
      if (!s) {
        s = { counters: new MemoryCounterStore(clock), breakers: new MemoryBreakerStore(), cache: new MemoryCacheStore(clock, 100) };
        shared.set(ns, s);
      }
      return s;
    },
  };
}

/** Redis behind the fallback stores the gateway builds (with Redis up they must keep the same contract). */
export function redisBackend(opts: { fallback?: boolean } = {}): Backend {
  let server: TestRedis | undefined;
  return {
    name: opts.fallback ? 'redis behind fallback' : 'redis',
    async setup() {
      server = await startRedis();
    },
    async teardown() {
      await server?.stop();
    },
    make(ns, clock) {
      if (!server) throw new Error('redis backend not set up');
      const redis = server.client(); // a separate connection per "process"
      const prefix = `t:${ns}:`;
      const stores = { counters: new RedisCounterStore(redis, prefix), breakers: new RedisBreakerStore(redis, prefix), cache: new RedisCacheStore(redis, prefix), redis };
      if (!opts.fallback) return stores;
      const link = new RedisLink(redis, { timeoutMs: 2000 });
      return {
        counters: new FallbackCounterStore(link, stores.counters, () => new MemoryCounterStore(clock)),
        breakers: new FallbackBreakerStore(link, stores.breakers, new MemoryBreakerStore()),
        cache: new FallbackCacheStore(link, stores.cache, new MemoryCacheStore(clock, 100)),
        redis,
      };
    },
  };
}
