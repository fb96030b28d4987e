/** Circuit breaker settings. */
export interface BreakerPolicy {
  /** Open after this many failures within one window (K)… */
  readonly failureThreshold: number;
  /** …and, once the window has `minCalls` calls, only when this fraction (0..1) of them failed (X%). */
  readonly failureRate: number;
  /** Calls in the window from which the failure rate decides. */
  readonly minCalls: number;
  /** Length of the counting window, ms. */
  readonly windowMs: number;
  /** How long the breaker stays open before letting one probe through (half-open), ms. */
  readonly cooldownMs: number;
}

/** LiteLLM-like defaults: a few failures open it; a 5 s cooldown. */
export const DEFAULT_BREAKER_POLICY: BreakerPolicy = { failureThreshold: 3, failureRate: 0.5, minCalls: 10, windowMs: 30_000, cooldownMs: 5_000 };

export type BreakerStatus = 'closed' | 'open' | 'half_open';

/** The shared state of one breaker (one provider + model). */
export interface BreakerState {
  status: BreakerStatus;
  failures: number;
  calls: number;
  windowStart: number;
  /** When it last opened, ms on the gateway clock. */
  openedAt: number;
  /** When the current half-open probe started (0 = none in flight). */
  probeAt: number;
}

export function initialBreakerState(): BreakerState {
  return { status: 'closed', failures: 0, calls: 0, windowStart: 0, openedAt: 0, probeAt: 0 };
}

/**
 * May a call go through now? Mutates `s`: an open breaker past its cooldown turns half-open and lets
 * exactly one probe through (a probe stuck longer than the cooldown is replaced).
 */
export function acquireBreaker(s: BreakerState, now: number, p: BreakerPolicy): boolean {
  if (s.status === 'closed') return true;
  if (s.status === 'open') {
    if (now - s.openedAt < p.cooldownMs) return false;
    s.status = 'half_open';
    s.probeAt = now;
    return true;
  }
  if (s.probeAt !== 0 && now - s.probeAt < p.cooldownMs) return false;
  s.probeAt = now;
  return true;
}

/** Record an outcome. Mutates `s`. A success closes a half-open breaker; a failure re-opens it. */
export function recordBreaker(s: BreakerState, ok: boolean, now: number, p: BreakerPolicy): void {
  if (s.status === 'half_open') {
    if (ok) Object.assign(s, initialBreakerState(), { windowStart: now });
    else Object.assign(s, { status: 'open', openedAt: now, probeAt: 0, failures: 0, calls: 0, windowStart: now });
    return;
  }
  if (s.status === 'open') return; // a late answer from before it opened
  if (now - s.windowStart >= p.windowMs) {
    s.windowStart = now;
    s.failures = 0;
    s.calls = 0;
  }
  s.calls++;
  if (!ok) s.failures++;
  // K failures open it while the window has few calls; once it has `minCalls`, the failure rate decides, so a busy
  // deployment failing 5% of its calls is not cut off (it would open on every third failure).
  if (s.failures >= p.failureThreshold && (s.calls < p.minCalls || s.failures / s.calls >= p.failureRate)) {
    Object.assign(s, { status: 'open', openedAt: now, probeAt: 0, failures: 0, calls: 0, windowStart: now });
  }
}
