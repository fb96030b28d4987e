import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetConfig, LlmGateway } from '../../llm/index.ts';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor, Plan } from './helpers.ts';

const ask = (content: string) => ({ operation: 'tactics', messages: [{ role: 'user' as const, content }], schema: Plan });
const DAY = Math.floor(1_700_000_000_000 / 86_400_000); // the day of gatewayFor's manual clock

/** A client as the server makes them: fail fast, no offline queue, quick reconnects. */
function failFastClient(port: number): Redis {
  const c = new Redis({ port, host: '127.0.0.1', enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  c.on('error', () => {});
  return c;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('LLM gateway while its Redis is down', () => {
  let redis: TestRedis;
  let openai: FakeProvider;
  const clients: Redis[] = [];
  beforeAll(async () => {
    [redis, openai] = await Promise.all([startRedis(), startFake('openai')]);
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await Promise.all([redis.stop(), openai.close()]);
  });

  const gateway = async (budgets: BudgetConfig, prefix: string): Promise<LlmGateway> => {
    const client = failFastClient(redis.port);
    clients.push(client);
    await until('redis ready', () => client.status === 'ready');
    return gatewayFor([openai], { redis: client, keyPrefix: prefix, budgets, retry: { maxRetries: 0 }, cache: { enabled: false } }).gw;
  };

  it('refuses cloud spend it cannot check, answers locally within a second, and returns to Redis when it restarts', async () => {
    const hard = await gateway({ tenant: { costUsd: { hard: 1 } } }, 'h:');
    const soft = await gateway({ tenant: { tokens: { soft: 1_000_000 } } }, 's:');
    const probe = failFastClient(redis.port);
    clients.push(probe);
    await until('probe ready', () => probe.status === 'ready');

    expect((await hard.call(ask('before'))).provider).toBe('openai');
    expect(Number(await probe.get(`h:budget:tenant:anonymous:${DAY}:usd`))).toBeGreaterThan(0);
    const before = openai.requests.length;

    await redis.kill();
    await until('the gateway sees Redis gone', async () => (await hard.health()).sharedReachable === false);

    // A hard budget cannot be checked: no cloud call, the local handler answers, quickly.
    let t = performance.now();
    const refused = await hard.call(ask('during'));
    expect(performance.now() - t).toBeLessThan(1000);
    expect(refused.provider).toBe('local');
    expect(refused.record.fallbackReason).toMatch(/shared store unavailable/);
    expect(openai.requests.length).toBe(before);

    // No finite limit to check: the cloud call goes ahead, counted in memory.
    t = performance.now();
    const counted = await soft.call(ask('during, soft'));
    expect(performance.now() - t).toBeLessThan(1000);
    expect(counted.provider).toBe('openai');
    expect(Object.keys((await soft.health()).breakers)).toContain('openai:gpt-4o-mini'); // from memory

    // Redis comes back empty on the same port: the outage's spend is replayed into it; calls go to Redis again.
    redis = await redis.restart();
    await until('the gateway sees Redis back', async () => (await hard.health()).sharedReachable === true);
    await until('probe reconnected', () => probe.status === 'ready');
    await until('the outage tokens replayed', async () => Number(await probe.get(`s:budget:tenant:anonymous:${DAY}:tok`)) === 19);
    expect((await hard.call(ask('after'))).provider).toBe('openai');
    expect(Number(await probe.get(`h:budget:tenant:anonymous:${DAY}:usd`))).toBeGreaterThan(0);
  }, 30_000);
});
