import { withDeadline } from './deadline.ts';
import type { Logger } from './logger.ts';

/**
 * - `connecting`: at start, before every connection was ready once;
 * - `up`: every connection ready, and this process's rooms registered in Redis;
 * - `down`: a connection is gone, or Redis stopped answering the heartbeat;
 * - `recovering`: connections are back and the recovery steps (re-registration) are running;
 * - `closed`: shutting down; nothing is reported any more.
 */
export type RedisState = 'connecting' | 'up' | 'down' | 'recovering' | 'closed';

/** What the watch needs of an ioredis connection (the Colyseus adapters bring their own ioredis). */
export interface WatchedConnection {
  readonly status: string;
  on(event: 'error', fn: (err: Error) => void): unknown;
  on(event: 'ready' | 'close' | 'end' | 'reconnecting', fn: () => void): unknown;
}

/** A recovery step: runs after an outage, before the process counts as up again; its result goes in the log line. */
export type RecoveryStep = () => Promise<Record<string, unknown> | void>;

export interface RedisWatchOptions {
  /** The Redis URL with credentials redacted, for logs. */
  readonly where: string;
  readonly logger: Logger;
  /** PING period on the heartbeat connection, ms (default 1000). */
  readonly heartbeatMs?: number;
  /** A PING unanswered this long is a miss; two misses in a row count as down, ms (default 500). */
  readonly heartbeatTimeoutMs?: number;
  /** Deadline of all recovery steps together; past it they are tried again, ms (default 3000). */
  readonly recoveryTimeoutMs?: number;
  /** Pause before recovery is tried again after a failure, ms (default 1000). */
  readonly recoveryRetryMs?: number;
}

/** The watch's answer for /health: never a round trip. */
export interface RedisReport {
  readonly status: 'ok' | 'down';
  readonly state: RedisState;
  /** How long it has been down, ms (while not up). */
  readonly downForMs?: number;
  /** Connection errors since it went down. */
  readonly errors?: number;
  readonly error?: string;
}

/**
 * The state of this process's Redis connections, from their own events plus a heartbeat, with one log line
 * when Redis goes and one when it is back (with how long it was down and how many errors came in between),
 * however many connections report however many errors meanwhile.
 *
 * After an outage the process counts as up only once the recovery steps (re-registering its rooms, see
 * roomRegistration.ts) have succeeded; until then matchmaking stays refused and /health says 503.
 */
export class RedisWatch {
  private readonly opts: Required<Omit<RedisWatchOptions, 'logger' | 'where'>>;
  private readonly logger: Logger;
  private readonly where: string;
  private readonly connections = new Map<string, WatchedConnection>();
  private readonly downListeners = new Set<() => void>();
  private readonly steps: { name: string; run: RecoveryStep }[] = [];
  private readonly readyWaiters: (() => void)[] = [];
  private current: RedisState = 'connecting';
  private muted = false;
  private outage: { since: number; errors: number; recoveryFailed: boolean } | undefined;
  private errorsWhileUp = 0;
  private lastError = '';
  private unresponsive = false;
  private misses = 0;
  private recovery = 0;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: RedisWatchOptions) {
    this.logger = opts.logger;
    this.where = opts.where;
    this.opts = {
      heartbeatMs: opts.heartbeatMs ?? 1000,
      heartbeatTimeoutMs: opts.heartbeatTimeoutMs ?? 500,
      recoveryTimeoutMs: opts.recoveryTimeoutMs ?? 3000,
      recoveryRetryMs: opts.recoveryRetryMs ?? 1000,
    };
  }

  get state(): RedisState {
    return this.current;
  }

  /** Up: connected, rooms registered; matchmaking may use Redis. */
  get up(): boolean {
    return this.current === 'up';
  }

  /** Every connection is ready and Redis answers (writes may go through, even while recovering). */
  get connected(): boolean {
    if (this.unresponsive) return false;
    for (const c of this.connections.values()) if (c.status !== 'ready') return false;
    return true;
  }

  /** Follow a connection's events. Its own error logging should be removed first: the watch reports for all. */
  watch(name: string, connection: WatchedConnection): void {
    this.connections.set(name, connection);
    connection.on('error', (err) => this.error(err.message));
    for (const event of ['ready', 'close', 'end', 'reconnecting'] as const) connection.on(event, () => this.evaluate());
  }

  /**
   * PING Redis on `connection` every `heartbeatMs` (a server that stopped answering keeps its sockets open):
   * a PING unanswered within `heartbeatTimeoutMs` is retried at once, and a second miss counts as down.
   */
  heartbeat(connection: WatchedConnection & { ping(): Promise<string> }): void {
    clearTimeout(this.heartbeatTimer);
    const next = (ms: number): void => {
      this.heartbeatTimer = setTimeout(beat, ms);
      this.heartbeatTimer.unref();
    };
    const beat = (): void => {
      if (this.current === 'closed') return;
      if (connection.status !== 'ready') return next(this.opts.heartbeatMs);
      withDeadline('PING', connection.ping(), this.opts.heartbeatTimeoutMs).then(
        () => {
          this.misses = 0;
          if (this.unresponsive) {
            this.unresponsive = false;
            this.evaluate();
          }
          next(this.opts.heartbeatMs);
        },
        (err: unknown) => {
          if (++this.misses >= 2 && !this.unresponsive) {
            this.unresponsive = true;
            this.error(err instanceof Error ? err.message : String(err));
            this.evaluate();
          }
          next(this.misses === 1 ? 0 : this.opts.heartbeatMs);
        },
      );
    };
    next(this.opts.heartbeatMs);
  }

  /** Called (synchronously) whenever Redis goes down; returns a function that stops the calls. */
  onDown(fn: () => void): () => void {
    this.downListeners.add(fn);
    return () => this.downListeners.delete(fn);
  }

  /** Add a recovery step; steps run in the order added. */
  onRecover(name: string, run: RecoveryStep): void {
    this.steps.push({ name, run });
  }

  /** Resolves once every connection is ready, or rejects after `ms` naming the last error. */
  async ready(ms: number): Promise<void> {
    this.evaluate();
    if (this.current !== 'connecting') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.readyWaiters.push(resolve);
        timer = setTimeout(() => reject(new Error(`redis: no connection to ${this.where} within ${ms / 1000} s (${this.lastError || 'no answer'})`)), ms);
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** For /health: the state as last seen, without a round trip. */
  report(now = performance.now()): RedisReport {
    if (this.current === 'up') return { status: 'ok', state: 'up' };
    return {
      status: 'down',
      state: this.current,
      ...(this.outage && { downForMs: Math.round(now - this.outage.since), errors: this.outage.errors }),
      ...(this.lastError && { error: this.lastError }),
    };
  }

  /** Shutting down: keep following the connections, but report nothing (closing them is not an outage). */
  mute(): void {
    this.muted = true;
  }

  /** Stop watching. */
  close(): void {
    this.muted = true;
    this.current = 'closed';
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.retryTimer);
  }

  private error(message: string): void {
    this.lastError = message;
    if (this.outage) this.outage.errors++;
    else if (this.current !== 'closed') this.errorsWhileUp++;
  }

  private evaluate(): void {
    const connected = this.connected;
    switch (this.current) {
      case 'connecting':
        if (!connected) return;
        this.current = 'up';
        this.errorsWhileUp = 0;
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        return;
      case 'up':
        if (!connected) this.goDown();
        return;
      case 'down':
        if (connected) void this.recover();
        return;
      case 'recovering':
        if (!connected) this.current = 'down'; // the running recovery notices and stops
        return;
      case 'closed':
        return;
    }
  }

  private goDown(): void {
    this.current = 'down';
    this.outage = { since: performance.now(), errors: this.errorsWhileUp, recoveryFailed: false };
    this.errorsWhileUp = 0;
    if (!this.muted) {
      this.logger.error(
        { dependency: 'redis', redis: this.where, state: 'down', error: this.lastError || 'connection closed' },
        'redis: unreachable; matchmaking is refused and the LLM gateway answers locally until it returns (live rooms keep running)',
      );
    }
    for (const fn of this.downListeners) fn();
  }

  private async recover(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.current = 'recovering';
    const attempt = ++this.recovery;
    const stale = (): boolean => attempt !== this.recovery || this.current !== 'recovering';
    const results: Record<string, unknown> = {};
    const deadline = performance.now() + this.opts.recoveryTimeoutMs;
    try {
      for (const step of this.steps) {
        const r = await withDeadline(`recovery step ${step.name}`, step.run(), deadline - performance.now());
        if (stale()) return;
        if (r) Object.assign(results, r);
      }
    } catch (err) {
      if (stale()) return;
      const outage = this.outage;
      if (outage) outage.errors++;
      if (outage && !outage.recoveryFailed && !this.muted) {
        outage.recoveryFailed = true; // reported once per outage; retried until it works
        this.logger.warn({ dependency: 'redis', redis: this.where, state: 'recovering', error: err instanceof Error ? err.message : String(err) }, 'redis: re-registration failed; retrying');
      }
      this.retryTimer = setTimeout(() => {
        if (this.current === 'recovering' && this.connected) void this.recover();
      }, this.opts.recoveryRetryMs);
      this.retryTimer.unref();
      return;
    }
    if (stale()) return;
    const outage = this.outage;
    this.current = 'up';
    this.outage = undefined;
    this.lastError = '';
    const downMs = outage ? Math.round(performance.now() - outage.since) : 0;
    if (this.muted) return;
    this.logger.info(
      { dependency: 'redis', redis: this.where, state: 'up', downMs, errors: outage?.errors ?? 0, ...results },
      `redis: reachable again after ${(downMs / 1000).toFixed(1)} s (${outage?.errors ?? 0} errors while down)`,
    );
  }
}
