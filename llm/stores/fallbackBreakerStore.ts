import { SharedStoreUnavailableError } from '../errors.ts';
import type { BreakerPolicy, BreakerState } from './breakerState.ts';
import type { BreakerStore } from './breakerStore.ts';
import type { RedisLink } from './redisLink.ts';

/**
 * Breakers in Redis, or in this process's memory while Redis is unreachable (a breaker protects against
 * a failing provider; its state may be local for a while without risk). Back in Redis when it returns.
 */
export class FallbackBreakerStore implements BreakerStore {
  private readonly link: RedisLink;
  private readonly shared: BreakerStore;
  private readonly memory: BreakerStore;

  constructor(link: RedisLink, shared: BreakerStore, memory: BreakerStore) {
    this.link = link;
    this.shared = shared;
    this.memory = memory;
  }

  private async either<T>(what: string, fn: (s: BreakerStore) => Promise<T>): Promise<T> {
    try {
      return await this.link.run(what, () => fn(this.shared));
    } catch (err) {
      if (!(err instanceof SharedStoreUnavailableError)) throw err;
      return fn(this.memory);
    }
  }

  acquire(key: string, now: number, policy: BreakerPolicy): Promise<boolean> {
    return this.either('breaker acquire', (s) => s.acquire(key, now, policy));
  }

  record(key: string, ok: boolean, now: number, policy: BreakerPolicy): Promise<BreakerState> {
    return this.either('breaker record', (s) => s.record(key, ok, now, policy));
  }

  snapshot(): Promise<Record<string, BreakerState>> {
    return this.either('breaker snapshot', (s) => s.snapshot());
  }
}
