import { ServerError } from '@colyseus/core';
import { withDeadline } from './deadline.ts';
import type { RedisWatch } from './redisWatch.ts';

/**
 * HTTP status of a matchmaking request refused while Redis is unreachable (the SDK's `MatchMakeError.code`).
 * Colyseus answers 503 too while it shuts down: both mean "not now, try again".
 */
export const MATCHMAKING_UNAVAILABLE = 503;

/** The error a client gets for a join, create or reconnect while Redis is unreachable. */
export function matchmakingUnavailable(cause?: unknown): ServerError {
  return new ServerError(MATCHMAKING_UNAVAILABLE, 'matchmaking unavailable: Redis is unreachable; try again shortly', cause === undefined ? undefined : { cause });
}

/**
 * Every Redis command of the Colyseus presence and driver goes through here, so none waits longer than its
 * deadline and none queues behind a dead connection:
 * - reads (matchmaking looks something up) are refused at once with {@link matchmakingUnavailable} unless
 *   Redis is up, and fail the same way when the command fails or is late;
 * - writes (listings, stats, publishes) are skipped while Redis is down and their failures swallowed: the
 *   live room keeps going, and the recovery after the outage writes again what matters (roomRegistration.ts).
 */
export class RedisCalls {
  private readonly watch: RedisWatch;
  private readonly timeoutMs: number;
  private shutdownBy = Infinity;
  /** Writes skipped or failed since start (the recovery repairs them). */
  lostWrites = 0;

  constructor(watch: RedisWatch, timeoutMs = 1000) {
    this.watch = watch;
    this.timeoutMs = timeoutMs;
  }

  /** From now on every command gets at most what is left of `budgetMs` (shutdown must not wait on Redis). */
  beginShutdown(budgetMs: number): void {
    this.shutdownBy = Math.min(this.shutdownBy, performance.now() + budgetMs);
  }

  /** Time a command may take now, ms. */
  deadline(): number {
    return Math.min(this.timeoutMs, this.shutdownBy - performance.now());
  }

  async read<T>(what: string, run: () => Promise<T> | T): Promise<T> {
    if (!this.watch.up) throw matchmakingUnavailable();
    try {
      return await withDeadline(what, Promise.resolve().then(run), this.deadline());
    } catch (err) {
      throw matchmakingUnavailable(err);
    }
  }

  /** A command already issued (its promise): waited for within the deadline while connected; never rejects. */
  async wait<T>(what: string, issued: Promise<T>, fallback: T): Promise<T> {
    issued.catch(() => undefined);
    return this.write(what, () => issued, fallback);
  }

  async write<T>(what: string, run: () => Promise<T> | T, fallback: T): Promise<T> {
    if (!this.watch.connected) {
      this.lostWrites++;
      return fallback;
    }
    try {
      return await withDeadline(what, Promise.resolve().then(run), this.deadline());
    } catch {
      this.lostWrites++;
      return fallback;
    }
  }
}
