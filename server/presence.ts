import { LocalDriver, LocalPresence } from '@colyseus/core';
import type { MatchMakerDriver, Presence } from '@colyseus/core';
import { Redis } from 'ioredis';
import { redactUrl } from './config.ts';
import type { Logger } from './logger.ts';
import { guardMatchmaking } from './matchmakingOutageGate.ts';
import { RedisCalls } from './redisCalls.ts';
import { RedisWatch } from './redisWatch.ts';
import type { RedisReport } from './redisWatch.ts';
import { ResilientDriver } from './resilientDriver.ts';
import { ResilientPresence } from './resilientPresence.ts';

/** Matchmaking state: in this process, or shared through Redis. */
export interface PresenceSetup {
  readonly kind: 'local' | 'redis';
  readonly presence: Presence;
  readonly driver: MatchMakerDriver;
  /**
   * With Redis, a connection for the server's other Redis users (the LLM gateway's stores): it fails fast
   * while Redis is unreachable instead of queueing commands, and the same watch reports its outages.
   */
  readonly redis: Redis | undefined;
  /** Redis status for /health, from the connections' state and the heartbeat: never a round trip. */
  status(): RedisReport;
  /** Shutting down: every Redis command from now on gets at most what is left of `budgetMs`, and outages are not reported. */
  beginShutdown(budgetMs: number): void;
  close(): Promise<void>;
}

/** Timings of the Redis setup (defaults suit production; tests may shorten them). */
export interface PresenceOptions {
  /** How long start-up waits for Redis, ms (default 10,000). */
  readonly connectTimeoutMs?: number;
  /** Deadline of one Redis command, ms (default 1000). */
  readonly commandTimeoutMs?: number;
  /** Heartbeat PING period, ms (default 1000). */
  readonly heartbeatMs?: number;
}

/**
 * Local presence and driver by default; with a Redis URL, Colyseus' Redis presence and driver made to
 * survive Redis outages (see resilientPresence.ts, resilientDriver.ts, redisCalls.ts): every command has a
 * deadline, matchmaking fails fast with a clear error while Redis is unreachable, live rooms keep running,
 * and when Redis is back this process registers its rooms, its stats entry and its subscriptions again
 * (Redis may have restarted empty). One log line when Redis goes, one when it is back (redisWatch.ts).
 */
export async function createPresence(redisUrl: string | undefined, logger: Logger, opts: PresenceOptions = {}): Promise<PresenceSetup> {
  if (!redisUrl) {
    logger.info({ presence: 'local' }, 'presence: local (one process); set REDIS_URL to share rooms across processes');
    const ok: RedisReport = { status: 'ok', state: 'up' };
    return { kind: 'local', presence: new LocalPresence(), driver: new LocalDriver(), redis: undefined, status: () => ok, beginShutdown: () => {}, close: async () => {} };
  }
  const where = redactUrl(redisUrl);
  const watch = new RedisWatch({ where, logger, ...(opts.heartbeatMs !== undefined && { heartbeatMs: opts.heartbeatMs }) });
  const calls = new RedisCalls(watch, opts.commandTimeoutMs);
  // No offline queue and no per-request retries: while a connection is down a command fails at once instead
  // of waiting for it (the outage handling above decides what that means); reconnect attempts never stop.
  const connection = {
    ...redisOptions(redisUrl),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1000),
  };
  // The Colyseus adapters bring their own ioredis: they get options, not clients.
  const presence = new ResilientPresence({ ...connection, connectionName: 'lairmind-presence' }, calls);
  const driver = new ResilientDriver({ ...connection, connectionName: 'lairmind-driver' }, calls);
  const shared = new Redis({ ...connection, connectionName: 'lairmind-shared' });
  watch.watch('presence pub', presence.connections.pub);
  watch.watch('presence sub', presence.connections.sub);
  watch.watch('driver', driver.connection);
  watch.watch('shared', shared);
  watch.heartbeat(shared);
  const stepMs = 2000;
  watch.onRecover('subscriptions', async () => ({ channels: (await presence.reSubscribe(stepMs)).channels }));
  watch.onRecover('rooms', async () => {
    const r = await driver.reRegister(stepMs);
    return { rooms: r.rooms, staleListings: r.removed };
  });
  watch.onRecover('process', () => presence.reRegisterProcess(stepMs));
  const unguard = guardMatchmaking(watch);
  const disconnect = (): void => {
    watch.close();
    unguard();
    presence.shutdown();
    driver.connection.disconnect();
    shared.disconnect();
  };
  try {
    await watch.ready(opts.connectTimeoutMs ?? 10_000);
  } catch (err) {
    disconnect();
    throw err;
  }
  logger.info({ presence: 'redis', redis: where }, 'presence: redis (rooms shared across processes)');
  return {
    kind: 'redis',
    presence,
    driver,
    redis: shared,
    status: () => watch.report(),
    beginShutdown(budgetMs) {
      watch.mute();
      calls.beginShutdown(budgetMs);
    },
    async close() {
      disconnect();
    },
  };
}

/** ioredis connection options from a `redis://` or `rediss://` URL (user, password, host, port, database). */
export function redisOptions(url: string): { host: string; port: number; username?: string; password?: string; db?: number; tls?: object } {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`REDIS_URL: expected redis:// or rediss://, got ${u.protocol}//`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new Error(`REDIS_URL: the path must be a database number, got '/${db}'`);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(db !== '' && { db: Number(db) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
  };
}
