import type { BreakerPolicy, BreakerState } from './breakerState.ts';

/** Where breaker states live: in memory, or in Redis so all server processes see the same state. */
export interface BreakerStore {
  /** May a call to `key` go through at `now` (ms)? May turn open → half-open. */
  acquire(key: string, now: number, policy: BreakerPolicy): Promise<boolean>;
  /** Record a call outcome; returns the state afterwards. */
  record(key: string, ok: boolean, now: number, policy: BreakerPolicy): Promise<BreakerState>;
  /** Current states of every breaker that has seen a call. */
  snapshot(): Promise<Record<string, BreakerState>>;
}
