/** One counter to move in a {@link CounterStore.reserve}. */
export interface CounterItem {
  readonly key: string;
  /** Integer amount to add (tokens, micro-dollars or calls). */
  readonly amount: number;
  /** The counter may not exceed this after adding (`Infinity` = no limit). */
  readonly limit: number;
  /** Lifetime of the counter from its first write, ms (windows are also encoded in the key). */
  readonly ttlMs: number;
}

/** Outcome of a reservation. */
export interface ReserveResult {
  readonly ok: boolean;
  /** Index of the first item that would have passed its limit (-1 when ok). */
  readonly failed: number;
  /** Counter values before the reservation, per item. */
  readonly before: readonly number[];
}

/**
 * Shared integer counters with an atomic all-or-nothing reserve: the primitive under budgets, tier
 * limits and model rpm/tpm. The memory store is atomic by construction (no await between check and
 * write); the Redis store runs one Lua script, so several server processes share the same limits.
 */
export interface CounterStore {
  /** Add every amount if and only if no counter would exceed its limit. */
  reserve(items: readonly CounterItem[]): Promise<ReserveResult>;
  /** Add unconditionally (settling a reservation; amounts may be negative). Returns the new values. */
  add(items: readonly Omit<CounterItem, 'limit'>[]): Promise<number[]>;
  /** Current values (0 when absent or expired). */
  get(keys: readonly string[]): Promise<number[]>;
}
