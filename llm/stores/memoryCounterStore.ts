import type { Clock } from '../../shared/index.ts';
import type { CounterItem, CounterStore, ReserveResult } from './counterStore.ts';

/** In-process {@link CounterStore}; expiry follows the injected clock. */
export class MemoryCounterStore implements CounterStore {
  private readonly values = new Map<string, { value: number; expiresAt: number }>();
  private readonly clock: Clock;
  private writes = 0;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  private current(key: string, now: number): number {
    const e = this.values.get(key);
    if (!e) return 0;
    if (e.expiresAt <= now) {
      this.values.delete(key);
      return 0;
    }
    return e.value;
  }

  private put(key: string, amount: number, ttlMs: number, now: number): number {
    const e = this.values.get(key);
    if (e && e.expiresAt > now) {
      e.value += amount;
      return e.value;
    }
    this.values.set(key, { value: amount, expiresAt: now + ttlMs });
    if (++this.writes % 1024 === 0) this.sweep(now);
    return amount;
  }

  private sweep(now: number): void {
    for (const [k, e] of this.values) if (e.expiresAt <= now) this.values.delete(k);
  }

  async reserve(items: readonly CounterItem[]): Promise<ReserveResult> {
    const now = this.clock.now();
    const before = items.map((i) => this.current(i.key, now));
    for (let k = 0; k < items.length; k++) {
      const i = items[k] as CounterItem;
      if (i.amount > 0 && (before[k] as number) + Math.ceil(i.amount) > i.limit) return { ok: false, failed: k, before };
    }
    for (const i of items) this.put(i.key, Math.ceil(i.amount), i.ttlMs, now);
    return { ok: true, failed: -1, before };
  }

  async add(items: readonly Omit<CounterItem, 'limit'>[]): Promise<number[]> {
    const now = this.clock.now();
    return items.map((i) => this.put(i.key, Math.round(i.amount), i.ttlMs, now));
  }

  async get(keys: readonly string[]): Promise<number[]> {
    const now = this.clock.now();
    return keys.map((k) => this.current(k, now));
  }
}
