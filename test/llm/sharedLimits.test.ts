import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../tools/redisServer.ts';
import type { TestRedis } from '../../tools/redisServer.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';

interface WorkerResult {
  cloud: number;
  local: number;
  costUsd: number;
  reasons: string[];
}

const WORKER = join(import.meta.dirname, 'fixtures', 'gatewayWorker.ts');
/** Usage the fake reports per call: $0.00021 on gpt-4o-mini ($0.15 / $0.60 per million). */
const USAGE = { input: 1000, output: 100 };
const PER_CALL_USD = (1000 * 0.15 + 100 * 0.6) / 1e6;

/** Start a worker process and wait until it is ready. */
async function worker(env: Record<string, string>): Promise<{ proc: ChildProcessWithoutNullStreams; next: () => Promise<string> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: 'pipe' });
  const lines = createInterface({ input: proc.stdout });
  const queue: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  lines.on('line', (l) => (waiting.length ? waiting.shift()!(l) : queue.push(l)));
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`worker did not answer in 60 s: ${stderr.slice(-2000)}`)), 60_000);
      const done = (l: string): void => {
        clearTimeout(t);
        resolve(l);
      };
      if (queue.length) done(queue.shift()!);
      else waiting.push(done);
    });
  expect(await next()).toBe('ready');
  return { proc, next };
}

describe('limits shared by two processes through one Redis', () => {
  let redis: TestRedis;
  let fake: FakeProvider;
  beforeAll(async () => {
    redis = await startRedis();
    // Slow enough that every reservation of both processes is made before any call settles.
    fake = await startFake('openai', () => ({ type: 'ok', text: '{"ok":true}', delayMs: 50, usage: USAGE }));
  });
  afterAll(async () => {
    await fake.close();
    await redis.kill();
  });

  it.each(['room', 'deployment'])('100 concurrent asks from two processes at a %s budget that allows ten: spend never passes it', async (scope) => {
    const limitUsd = 10 * PER_CALL_USD;
    const prefix = `shared-${scope}:`;
    const env = { REDIS_URL: redis.url, FAKE_URL: fake.baseURL, PREFIX: prefix, SCOPE: scope, LIMIT_USD: String(limitUsd), ASKS: '50' };
    const workers = await Promise.all([worker(env), worker(env)]);
    fake.requests.length = 0;
    for (const w of workers) w.proc.stdin.write('go\n');
    const results = (await Promise.all(workers.map((w) => w.next()))).map((l) => JSON.parse(l) as WorkerResult);
    const cloud = results.reduce((s, r) => s + r.cloud, 0);
    const spent = results.reduce((s, r) => s + r.costUsd, 0);
    expect(cloud + results.reduce((s, r) => s + r.local, 0)).toBe(100);
    expect(cloud).toBeGreaterThan(0);
    expect(cloud).toBeLessThanOrEqual(10);
    expect(fake.requests.length).toBe(cloud);
    expect(spent).toBeLessThanOrEqual(limitUsd + 1e-12);
    // The shared counter holds exactly what was spent once every call settled.
    const r = new Redis(redis.url);
    const keys = await r.keys(`${prefix}budget:${scope === 'room' ? 'room:shared-room' : 'deployment:d:*'}:usd`);
    const counter = Number(await r.get(keys[0]!)) / 1e6;
    r.disconnect();
    expect(counter).toBeCloseTo(spent, 6);
    expect(counter).toBeLessThanOrEqual(limitUsd);
    const reasons = results.flatMap((x) => x.reasons).join('\n');
    expect(reasons).toMatch(scope === 'room' ? /budget exceeded: room shared-room cost hard limit/ : /budget exceeded: deployment-daily cost hard limit/);
  }, 120_000);

  it("the queue's concurrency cap holds for two processes together through Redis", async () => {
    // An OpenAI-compatible endpoint that counts requests in flight and answers each after 80 ms.
    let inFlight = 0;
    let peak = 0;
    let served = 0;
    const body = JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"ok":true}', refusal: null } }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    const slow = createServer((req, res) => {
      req.resume();
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        served++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      }, 80);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}/v1`;
    try {
      const env = { REDIS_URL: redis.url, FAKE_URL: url, PREFIX: 'shared-queue:', SCOPE: 'queue', CAP: '3', ASKS: '12' };
      const workers = await Promise.all([worker(env), worker(env)]);
      for (const w of workers) w.proc.stdin.write('go\n');
      const results = (await Promise.all(workers.map((w) => w.next()))).map((l) => JSON.parse(l) as WorkerResult);
      expect(results.reduce((s, r) => s + r.cloud, 0)).toBeGreaterThan(6);
      expect(served).toBeGreaterThan(6);
      // Each process alone would allow 3; together they hold 3, not 6.
      expect(peak).toBeLessThanOrEqual(3);
      expect(peak).toBeGreaterThanOrEqual(2);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  }, 120_000);
});
