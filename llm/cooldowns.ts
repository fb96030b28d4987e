import type { Clock } from '../shared/index.ts';
import type { CounterStore } from './stores/counterStore.ts';

/**
 * Deployments told to wait (a 429 or 503 with `Retry-After`): skipped until the stated time has passed. Kept in
 * the shared counters, so every process sharing them lets the deployment rest; this process also remembers the
 * end time itself, so a cooling deployment is skipped without a round trip.
 */
export class Cooldowns {
  private readonly store: CounterStore;
  private readonly clock: Clock;
  private readonly until = new Map<string, number>();

  constructor(store: CounterStore, clock: Clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Rest `key` for `ms` from now. */
  async coolDown(key: string, ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    if ((this.until.get(key) ?? 0) < end) this.until.set(key, end);
    if (ms >= 1) await this.store.add([{ key: `cool:${key}`, amount: 1, ttlMs: Math.ceil(ms) }]);
  }

  /** Whether `key` is resting now (here or, through the shared counters, in another process). */
  async cooling(key: string): Promise<boolean> {
    const end = this.until.get(key);
    if (end !== undefined) {
      if (this.clock.now() < end) return true;
      this.until.delete(key);
    }
    const [v] = await this.store.get([`cool:${key}`]);
    return (v ?? 0) > 0;
  }

  /** Milliseconds left of this process's known cooldown of `key` (0 when none). */
  remainingMs(key: string): number {
    return Math.max(0, (this.until.get(key) ?? 0) - this.clock.now());
  }
}
