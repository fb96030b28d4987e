import type { BreakerPolicy, BreakerState } from './breakerState.ts';
import type { BreakerStore } from './breakerStore.ts';
import type { RedisLink } from './redisLink.ts';

/**
 * Breakers in Redis, or in this process's memory while Redis is unreachable (a breaker protects against
 * a failing provider; its state may be local for a while without risk). Back in Redis when it returns.
 */
export class FallbackBreakerStore implements BreakerStore {
  constructor(private readonly link: RedisLink, private readonly shared: BreakerStore, private readonly memory: BreakerStore) {}

  acquire(key: string, now: number, policy: BreakerPolicy): Promise<boolean> {
    return this.link.sharedOrMemory('breaker acquire', this.shared, this.memory, (s) => s.acquire(key, now, policy));
  }

  record(key: string, ok: boolean, now: number, policy: BreakerPolicy): Promise<BreakerState> {
    return this.link.sharedOrMemory('breaker record', this.shared, this.memory, (s) => s.record(key, ok, now, policy));
  }

  snapshot(): Promise<Record<string, BreakerState>> {
    return this.link.sharedOrMemory('breaker snapshot', this.shared, this.memory, (s) => s.snapshot());
  }
}
