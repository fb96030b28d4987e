import { SharedStoreUnavailableError } from '../errors.ts';
import type { CounterItem, CounterStore, ReserveResult } from './counterStore.ts';
import type { RedisLink } from './redisLink.ts';

/**
 * Counters in Redis that survive a Redis outage without letting spend run unchecked.
 *
 * While Redis is unreachable, a reservation against any finite limit (a budget, a tier limit, a model's
 * rpm/tpm) is refused with {@link SharedStoreUnavailableError}: this process cannot know what the others
 * spent, so the gateway answers from the local handler instead. Reservations with no finite limit and
 * settlements are counted in memory and replayed into Redis when it returns, so what was spent during the
 * outage still counts afterwards. The replay buffer holds at most `maxPending` keys; beyond that, amounts
 * are dropped and counted in {@link dropped}.
 */
export class FallbackCounterStore implements CounterStore {
  private readonly link: RedisLink;
  private readonly shared: CounterStore;
  private readonly makeMemory: () => CounterStore;
  private memory: CounterStore;
  private readonly pending = new Map<string, { amount: number; ttlMs: number }>();
  private readonly maxPending: number;
  /** Amounts not replayed because the buffer was full. */
  dropped = 0;

  constructor(link: RedisLink, shared: CounterStore, makeMemory: () => CounterStore, maxPending = 10_000) {
    this.link = link;
    this.shared = shared;
    this.makeMemory = makeMemory;
    this.memory = makeMemory();
    this.maxPending = maxPending;
    link.onRestore(() => this.replay());
  }

  async reserve(items: readonly CounterItem[]): Promise<ReserveResult> {
    try {
      return await this.link.run('reserve', () => this.shared.reserve(items));
    } catch (err) {
      if (!(err instanceof SharedStoreUnavailableError)) throw err;
      const bounded = items.find((i) => i.amount > 0 && Number.isFinite(i.limit));
      if (bounded) throw new SharedStoreUnavailableError(`limits cannot be checked (${bounded.key}); refusing the reservation`, { cause: err });
      const r = await this.memory.reserve(items);
      if (r.ok) this.remember(items);
      return r;
    }
  }

  async add(items: readonly Omit<CounterItem, 'limit'>[]): Promise<number[]> {
    try {
      return await this.link.run('add', () => this.shared.add(items));
    } catch (err) {
      if (!(err instanceof SharedStoreUnavailableError)) throw err;
      this.remember(items);
      return this.memory.add(items);
    }
  }

  async get(keys: readonly string[]): Promise<number[]> {
    try {
      return await this.link.run('get', () => this.shared.get(keys));
    } catch (err) {
      if (!(err instanceof SharedStoreUnavailableError)) throw err;
      return this.memory.get(keys);
    }
  }

  /** Keys waiting to be replayed into Redis. */
  get pendingKeys(): number {
    return this.pending.size;
  }

  private remember(items: readonly Omit<CounterItem, 'limit'>[]): void {
    for (const i of items) {
      const p = this.pending.get(i.key);
      if (p) p.amount += i.amount;
      else if (this.pending.size < this.maxPending) this.pending.set(i.key, { amount: i.amount, ttlMs: i.ttlMs });
      else this.dropped++;
    }
  }

  /** Add what was counted during the outage to the shared counters, then start a fresh memory store. */
  private async replay(): Promise<void> {
    const items = [...this.pending].filter(([, p]) => p.amount !== 0).map(([key, p]) => ({ key, amount: p.amount, ttlMs: p.ttlMs }));
    this.pending.clear();
    this.memory = this.makeMemory();
    for (let k = 0; k < items.length; k += 256) {
      const chunk = items.slice(k, k + 256);
      try {
        await this.link.run('replay', () => this.shared.add(chunk));
      } catch {
        this.remember(items.slice(k)); // down again: keep the rest for the next return
        return;
      }
    }
  }
}
