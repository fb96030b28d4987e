import { Redis } from 'ioredis';
import { startRedis as startRedisServer } from '../../tools/redisServer.ts';

/** A throwaway redis-server on a free 127.0.0.1 port, with clients that stop() closes. */
export interface TestRedis {
  readonly port: number;
  /** A new client (closed by stop()). */
  client(): Redis;
  stop(): Promise<void>;
}

/** Start a redis-server for a test (see test/REPL). */
export async function startRedis(): Promise<TestRedis> {
  const server = await startRedisServer();
  const clients: Redis[] = [];
  return {
    port: server.port,
    client() {
      const c = new Redis({ port: server.port, host: '127.0.0.1' });
      clients.push(c);
      return c;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      await server.stop();
    },
  };
}
