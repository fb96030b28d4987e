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

  /**
   * The status of each key now, by time: an open breaker past its cooldown reads `half_open` (a probe may go) without
   * waiting for a call to ask. Keys that never saw a call are closed.
   */
  async statusNow(keys: readonly string[]): Promise<Record<string, BreakerStatus>> {
    const snap = await this.store.snapshot();
    const now = this.clock.now();
    const out: Record<string, BreakerStatus> = {};
    for (const key of keys) {
      const s = snap[key];
      out[key] = !s ? 'closed' : s.status === 'open' && now - s.openedAt >= this.policy.cooldownMs ? 'half_open' : s.status;
    }
    return out;
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
