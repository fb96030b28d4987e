import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCalls } from '../../server/redisCalls.ts';
import type { RedisWatch } from '../../server/redisWatch.ts';
import { ResilientDriver } from '../../server/resilientDriver.ts';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ResilientDriver', () => {
  let redis: TestRedis;
  let driver: ResilientDriver;
  beforeAll(async () => {
    redis = await startRedis();
    // A watch that has not noticed anything yet: the command itself fails.
    const unaware = { up: true, connected: true } as unknown as RedisWatch;
    driver = new ResilientDriver({ host: '127.0.0.1', port: redis.port, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 20 }, new RedisCalls(unaware));
    driver.connection.on('error', () => {});
    await until('driver connected', () => driver.connection.status === 'ready');
  });
  afterAll(async () => {
    driver.connection.disconnect();
    await redis.kill();
  });

  const listing = { name: 'world', roomId: 'r1', processId: 'p1', clients: 0, maxClients: 10 };

  it('a room query that failed mid-outage does not keep failing once Redis is back', async () => {
    await driver.persist({ ...listing });
    expect((await driver.query({ name: 'world' })).map((r) => r.roomId)).toEqual(['r1']);
    await redis.kill();
    await until('driver disconnected', () => driver.connection.status !== 'ready');
    await expect(driver.query({ name: 'world' })).rejects.toThrow(/^matchmaking unavailable: Redis is unreachable/);
    await expect(driver.findOne({ name: 'world' })).rejects.toMatchObject({ code: 503 });
    redis = await redis.restart();
    await until('driver reconnected', () => driver.connection.status === 'ready');
    await driver.persist({ ...listing, roomId: 'r2' });
    expect((await driver.query({ name: 'world' })).map((r) => r.roomId)).toEqual(['r2']);
    expect((await driver.findOne({ name: 'world' }))?.roomId).toBe('r2');
  });
});
