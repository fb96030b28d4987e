import type { Redis } from 'ioredis';
import type { ManualClock } from '../../shared/index.ts';
import { MemoryBreakerStore, MemoryCacheStore, MemoryCounterStore, RedisBreakerStore, RedisCacheStore, RedisCounterStore } from '../../llm/index.ts';
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

export function redisBackend(): Backend {
  let server: TestRedis | undefined;
  return {
    name: 'redis',
    async setup() {
      server = await startRedis();
    },
    async teardown() {
      await server?.stop();
    },
    make(ns) {
      if (!server) throw new Error('redis backend not set up');
      const redis = server.client(); // a separate connection per "process"
      const prefix = `t:${ns}:`;
      return { counters: new RedisCounterStore(redis, prefix), breakers: new RedisBreakerStore(redis, prefix), cache: new RedisCacheStore(redis, prefix), redis };
    },
  };
}
