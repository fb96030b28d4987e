import { LocalDriver, LocalPresence } from '@colyseus/core';
import type { MatchMakerDriver, Presence } from '@colyseus/core';
import { Redis } from 'ioredis';
import { redactUrl } from './config.ts';
import type { Logger } from './logger.ts';

/** Matchmaking state: in this process, or shared through Redis. */
export interface PresenceSetup {
  readonly kind: 'local' | 'redis';
  readonly presence: Presence;
  readonly driver: MatchMakerDriver;
  /** Redis reachable (always true for local). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Local presence and driver by default; with a Redis URL, Colyseus' Redis presence and driver, so several
 * processes share matchmaking and room lookup. Redis errors are logged once per outage, with the URL's
 * credentials redacted, not on every retry.
 */
export async function createPresence(redisUrl: string | undefined, logger: Logger): Promise<PresenceSetup> {
  if (!redisUrl) {
    logger.info({ presence: 'local' }, 'presence: local (one process); set REDIS_URL to share rooms across processes');
    return { kind: 'local', presence: new LocalPresence(), driver: new LocalDriver(), healthy: async () => true, close: async () => {} };
  }
  const { RedisPresence } = await import('@colyseus/redis-presence');
  const { RedisDriver } = await import('@colyseus/redis-driver');
  const where = redactUrl(redisUrl);
  let down = false;
  type Watched = Pick<Redis, 'on'>;
  const watch = <C extends Watched>(client: C): C => {
    client.on('error', (err: Error) => {
      if (down) return;
      down = true;
      logger.error({ redis: where, error: err.message }, 'redis: connection lost; matchmaking across processes is unavailable until it returns');
    });
    client.on('ready', () => {
      if (!down) return;
      down = false;
      logger.info({ redis: where }, 'redis: connection restored');
    });
    return client;
  };
  const options = { maxRetriesPerRequest: 2, retryStrategy: (n: number) => Math.min(100 * 2 ** n, 2000) };
  // The Colyseus adapters bring their own ioredis; give them the URL and watch the connections they open.
  const presence = new RedisPresence(redisUrl) as unknown as Presence;
  const driver = new RedisDriver(redisUrl) as unknown as MatchMakerDriver;
  for (const c of [(presence as unknown as { pub?: Watched }).pub, (presence as unknown as { sub?: Watched }).sub, (driver as unknown as { _client?: Watched })._client]) {
    if (c && typeof c.on === 'function') watch(c);
  }
  const probe = watch(new Redis(redisUrl, { ...options, lazyConnect: true }));
  logger.info({ presence: 'redis', redis: where }, 'presence: redis (rooms shared across processes)');
  return {
    kind: 'redis',
    presence,
    driver,
    async healthy() {
      try {
        if (probe.status === 'wait') await probe.connect();
        return (await Promise.race([probe.ping(), new Promise<string>((r) => setTimeout(() => r('timeout'), 500))])) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      probe.disconnect();
    },
  };
}
