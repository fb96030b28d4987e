/** Settings of a {@link RateLimiter}. */
export interface RateLimitOptions {
  /** Sustained messages per second. */
  readonly perSecond: number;
  /** Messages that may arrive at once above the sustained rate. */
  readonly burst: number;
  /** Messages refused after the warning before the client is disconnected. */
  readonly toleranceAfterWarning: number;
}

/** What to do with one incoming message. */
export type RateDecision = 'accept' | 'warn' | 'drop' | 'disconnect';

/**
 * Token bucket per client. Past the bucket, the first refused message earns a warning; more refusals are
 * dropped; past the tolerance the client is disconnected. A client that slows down regains its standing.
 * Time is passed in (milliseconds), so tests need no sleeping.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private refusedSinceWarning = -1;

  constructor(readonly options: RateLimitOptions, nowMs: number) {
    if (!(options.perSecond > 0 && options.burst >= 1 && options.toleranceAfterWarning >= 0)) {
      throw new RangeError('RateLimiter: need perSecond > 0, burst >= 1, toleranceAfterWarning >= 0');
    }
    this.tokens = options.burst;
    this.last = nowMs;
  }

  /** Account for one message arriving at `nowMs`. */
  take(nowMs: number): RateDecision {
    const { perSecond, burst, toleranceAfterWarning } = this.options;
    this.tokens = Math.min(burst, this.tokens + ((nowMs - this.last) / 1000) * perSecond);
    this.last = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      if (this.tokens >= burst / 2) this.refusedSinceWarning = -1; // calmed down
      return 'accept';
    }
    if (this.refusedSinceWarning < 0) {
      this.refusedSinceWarning = 0;
      return 'warn';
    }
    this.refusedSinceWarning++;
    return this.refusedSinceWarning > toleranceAfterWarning ? 'disconnect' : 'drop';
  }
}
