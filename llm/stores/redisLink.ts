import type { Redis } from 'ioredis';
import { SharedStoreUnavailableError } from '../errors.ts';

/** ioredis statuses in which the connection is known to be gone (commands would fail or wait). */
const DOWN = new Set(['reconnecting', 'close', 'end']);

/** Settings of a {@link RedisLink}. */
export interface RedisLinkOptions {
  /** Longest a single store command may take before it counts as failed, ms (default 500). */
  readonly timeoutMs?: number;
  /** After a failed command, skip Redis for this long before trying again, ms (default 1000). */
  readonly retryMs?: number;
  /** Monotonic time in ms (default `performance.now`); I/O timing, not the gateway's clock. */
  readonly now?: () => number;
}

/**
 * The gateway's view of its Redis connection: whether it is worth trying now, and every command run with a
 * deadline. The fallback stores use it to answer from memory while Redis is down and to go back to Redis
 * when it returns (ioredis `ready`, or the first command that succeeds again), when {@link onRestore}
 * callbacks run.
 */
export class RedisLink {
  readonly redis: Redis;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly now: () => number;
  private retryAt = 0;
  private lost = false;
  private readonly restores: (() => Promise<void> | void)[] = [];
  /** Commands that failed or timed out, and calls answered from memory because Redis was down. */
  failures = 0;
  fallbacks = 0;

  constructor(redis: Redis, opts: RedisLinkOptions = {}) {
    this.redis = redis;
    this.timeoutMs = opts.timeoutMs ?? 500;
    this.retryMs = opts.retryMs ?? 1000;
    this.now = opts.now ?? (() => performance.now());
    redis.on('ready', () => {
      this.retryAt = 0;
      this.restored();
    });
  }

  private restored(): void {
    if (!this.lost) return;
    this.lost = false;
    for (const fn of this.restores) void Promise.resolve().then(fn).catch(() => undefined);
  }

  /** False while the connection is down or a command failed less than `retryMs` ago. */
  get available(): boolean {
    return !DOWN.has(this.redis.status) && this.now() >= this.retryAt;
  }

  /** Run after the connection comes back from an outage this link noticed. */
  onRestore(fn: () => Promise<void> | void): void {
    this.restores.push(fn);
  }

  /**
   * Run `fn` against Redis within the deadline. Throws {@link SharedStoreUnavailableError} when Redis is
   * known to be down, when the command fails, or when it takes longer than `timeoutMs`.
   */
  async run<T>(what: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
    if (!this.available) {
      this.lost ||= DOWN.has(this.redis.status);
      this.fallbacks++;
      throw new SharedStoreUnavailableError(`${what}: Redis is unreachable (${this.redis.status})`);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const call = fn(this.redis);
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const value = await Promise.race([call, late]);
      this.restored(); // a stalled server that answers again emits no 'ready'
      return value;
    } catch (err) {
      call.catch(() => undefined); // a late rejection must not go unhandled
      this.failures++;
      this.fallbacks++;
      this.lost = true;
      this.retryAt = this.now() + this.retryMs;
      throw new SharedStoreUnavailableError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * `fn` on the shared (Redis-backed) store, or on the in-memory one while Redis is unreachable: for stores whose
   * state may be local for a while without risk (breakers, the response cache).
   */
  async sharedOrMemory<S, T>(what: string, shared: S, memory: S, fn: (store: S) => Promise<T>): Promise<T> {
    try {
      return await this.run(what, () => fn(shared));
    } catch (err) {
      if (!(err instanceof SharedStoreUnavailableError)) throw err;
      return fn(memory);
    }
  }
}
