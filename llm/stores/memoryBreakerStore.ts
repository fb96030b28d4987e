import { acquireBreaker, initialBreakerState, recordBreaker } from './breakerState.ts';
import type { BreakerPolicy, BreakerState } from './breakerState.ts';
import type { BreakerStore } from './breakerStore.ts';

/** In-process {@link BreakerStore}. */
export class MemoryBreakerStore implements BreakerStore {
  private readonly states = new Map<string, BreakerState>();

  private state(key: string, now: number): BreakerState {
    let s = this.states.get(key);
    if (!s) {
      s = { ...initialBreakerState(), windowStart: now };
      this.states.set(key, s);
    }
    return s;
  }

  async acquire(key: string, now: number, policy: BreakerPolicy): Promise<boolean> {
    return acquireBreaker(this.state(key, now), now, policy);
  }

  async record(key: string, ok: boolean, now: number, policy: BreakerPolicy): Promise<BreakerState> {
    const s = this.state(key, now);
    recordBreaker(s, ok, now, policy);
    return { ...s };
  }

  async snapshot(): Promise<Record<string, BreakerState>> {
    return Object.fromEntries([...this.states].map(([k, s]) => [k, { ...s }]));
  }
}
