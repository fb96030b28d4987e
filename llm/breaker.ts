import type { Clock } from '../shared/index.ts';
import { DEFAULT_BREAKER_POLICY } from './stores/breakerState.ts';
import type { BreakerPolicy, BreakerState, BreakerStatus } from './stores/breakerState.ts';
import type { BreakerStore } from './stores/breakerStore.ts';

/**
 * Circuit breakers per provider and model (key `provider:model`) over a shared {@link BreakerStore}.
 * Times come from the injected clock, so tests step through cooldowns without sleeping.
 */
export class CircuitBreakers {
  readonly policy: BreakerPolicy;
  private readonly store: BreakerStore;
  private readonly clock: Clock;
  /** Last state this process saw per key (for metrics without a store round trip). */
  private readonly seen = new Map<string, BreakerStatus>();
  private readonly listeners: ((key: string, status: BreakerStatus) => void)[] = [];

  constructor(store: BreakerStore, clock: Clock, policy: Partial<BreakerPolicy> = {}) {
    this.store = store;
    this.clock = clock;
    this.policy = { ...DEFAULT_BREAKER_POLICY, ...policy };
  }

  /** May a call to `key` go through now? */
  async allow(key: string): Promise<boolean> {
    const ok = await this.store.acquire(key, this.clock.now(), this.policy);
    if (!ok) this.note(key, 'open');
    return ok;
  }

  /** Record the outcome of a call that {@link allow} let through. */
  async record(key: string, ok: boolean): Promise<BreakerState> {
    const s = await this.store.record(key, ok, this.clock.now(), this.policy);
    this.note(key, s.status);
    return s;
  }

  /** Every breaker's shared state (for `/health`). */
  snapshot(): Promise<Record<string, BreakerState>> {
    return this.store.snapshot();
  }

  /** Last status this process observed per key. */
  lastSeen(): ReadonlyMap<string, BreakerStatus> {
    return this.seen;
  }

  /** Called whenever this process observes a status change. */
  onChange(fn: (key: string, status: BreakerStatus) => void): void {
    this.listeners.push(fn);
  }

  private note(key: string, status: BreakerStatus): void {
    if (this.seen.get(key) === status) return;
    this.seen.set(key, status);
    for (const fn of this.listeners) fn(key, status);
  }
}
