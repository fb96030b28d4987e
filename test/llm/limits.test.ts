import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, Rng } from '../../shared/index.ts';
import { BudgetExceededError, LlmGateway, RateLimitedError } from '../../llm/index.ts';
import type { BreakerStore, BudgetAlert, CacheStore, CounterItem, CounterStore, GatewayOptions, ReserveResult } from '../../llm/index.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { KEYS, Plan, testRegistry } from './helpers.ts';
import { memoryBackend, redisBackend } from './storeBackends.ts';

/** Highest value any granted reservation reached per key, and the largest amount reserved per key. */
interface Peaks {
  readonly peak: Map<string, number>;
  readonly amounts: Map<string, number>;
}

/** Wraps a CounterStore to fill `Peaks`. */
function peakSpy(inner: CounterStore, { peak, amounts }: Peaks): CounterStore {
  return {
    async reserve(items: readonly CounterItem[]): Promise<ReserveResult> {
      const r = await inner.reserve(items);
      if (r.ok) items.forEach((i, k) => {
        peak.set(i.key, Math.max(peak.get(i.key) ?? 0, (r.before[k] as number) + Math.ceil(i.amount)));
        amounts.set(i.key, Math.max(amounts.get(i.key) ?? 0, Math.ceil(i.amount)));
      });
      return r;
    },
    add: (items) => inner.add(items),
    get: (keys) => inner.get(keys),
  };
}

const TIERS = {
  free: { layers: { '*': { hourly: 0, daily: 0 } } },
  premium: { layers: { coordination: { hourly: 10, daily: 15 } } },
  whale: { layers: {}, alertDailyCostUsd: 0.002 },
};

describe.each([memoryBackend(), redisBackend()])('budgets and tier limits: $name', (backend) => {
  let fake: FakeProvider;
  let n = 0;
  beforeAll(async () => {
    await backend.setup();
    // A slow provider: all 100 reservations happen before any settles, the worst case for limits.
    fake = await startFake('openai', () => ({ type: 'ok', text: '{"ok":true}', delayMs: 30, usage: { input: 100, output: 20 } }));
  });
  afterAll(async () => {
    await fake.close();
    await backend.teardown();
  });

  /** Two gateways sharing one set of stores: two server processes. */
  function pair(opts: Partial<GatewayOptions>): { a: LlmGateway; b: LlmGateway; clock: ManualClock; spy: Peaks } {
    const ns = `g${++n}`;
    const clock = new ManualClock(1_700_000_000_000);
    const s1 = backend.make(ns, clock);
    const s2 = backend.make(ns, clock);
    const spy: Peaks = { peak: new Map(), amounts: new Map() };
    const mk = (stores: { counters: CounterStore; breakers: BreakerStore; cache: CacheStore }): LlmGateway => {
      const gw = new LlmGateway({
        registry: testRegistry(), providers: { openai: { apiKey: KEYS.openai, baseURL: fake.baseURL } }, clock, rng: Rng.create('x'),
        stores, cache: { enabled: false }, tiers: TIERS, ...opts,
      });
      gw.registerLocal('tactics', () => ({ ok: false }));
      return gw;
    };
    return { a: mk({ ...s1, counters: peakSpy(s1.counters, spy) }), b: mk({ ...s2, counters: peakSpy(s2.counters, spy) }), clock, spy };
  }

  const call = (gw: LlmGateway, i: number, extra: object = {}) =>
    gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'attack?' }], schema: Plan, tenant: 'p1', room: 'r1', ...extra, input: i });

  it('100 concurrent calls over two processes never pass a tenant cost hard limit; the rest go local', async () => {
    const { a, b, spy } = pair({ budgets: { tenant: { costUsd: { hard: 0.004 } } } });
    const res = await Promise.all(Array.from({ length: 100 }, (_, i) => call(i % 2 ? a : b, i)));
    const key = [...spy.amounts.keys()].find((k) => k.endsWith(':usd')) as string;
    const perCall = spy.amounts.get(key) as number;
    const cloud = res.filter((r) => r.provider === 'openai').length;
    // Every full-size reservation that fits is granted, and near the end smaller ones (output cut to fit) may follow.
    expect(cloud).toBeGreaterThanOrEqual(Math.floor(4000 / perCall));
    expect(cloud).toBeGreaterThan(0);
    expect(cloud).toBeLessThan(100);
    expect(spy.peak.get(key)).toBeLessThanOrEqual(4000);
    const local = res.filter((r) => r.provider === 'local');
    expect(local[0]!.record.fallbackReason).toMatch(/budget exceeded: tenant p1 cost hard limit/);
  });

  it('never passes a room token hard limit either, and refuses with a typed 402 when local fallback is off', async () => {
    const { a, b, spy } = pair({ budgets: { room: { tokens: { hard: 5_000 } } } });
    const res = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => call(i % 2 ? a : b, i, { localFallback: false })));
    const ok = res.filter((r) => r.status === 'fulfilled');
    const refused = res.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const key = [...spy.amounts.keys()].find((k) => k.includes('room')) as string;
    expect(ok.length).toBeGreaterThanOrEqual(Math.floor(5000 / (spy.amounts.get(key) as number)));
    expect(spy.peak.get(key)).toBeLessThanOrEqual(5000);
    expect(refused[0]!.reason).toBeInstanceOf(BudgetExceededError);
    expect((refused[0]!.reason as BudgetExceededError).status).toBe(402);
  });

  it('settles reservations with real usage so later calls fit again', async () => {
    const { a } = pair({ budgets: { tenant: { costUsd: { hard: 0.0008 } } } });
    const first = await call(a, 0);
    const second = await call(a, 1);
    const third = await call(a, 2);
    expect([first.provider, second.provider, third.provider]).toEqual(['openai', 'openai', 'openai']);
    expect(first.record.costUsd).toBeCloseTo((100 * 0.15 + 20 * 0.6) / 1e6, 12);
  });

  it('soft budget level moves calls to the cheapest model and warns', async () => {
    const warnings: string[] = [];
    const { a } = pair({ routing: { strategy: 'performance' }, budgets: { tenant: { costUsd: { soft: 0.000001 } } }, logger: { warn: (_o, m) => void warnings.push(m), debug: () => undefined } });
    const first = await call(a, 0);
    expect(first.decision!.strategy).toBe('performance');
    expect(first.provider).toBe('openai');
    const second = await call(a, 1);
    expect(second.decision!.strategy).toBe('cost');
    expect(second.decision!.reason).toMatch(/^soft budget passed \(tenant cost\)/);
    expect(second.provider).toBe('openai');
    expect(warnings.some((w) => w.includes('soft budget'))).toBe(true);
  });

  it('tier gating: free coordination never reaches the cloud', async () => {
    const { a } = pair({});
    const r = await call(a, 0, { tier: 'free' });
    expect(r.provider).toBe('local');
    expect(r.record.fallbackReason).toBe('tier free: no cloud calls for coordination');
    await expect(call(a, 1, { tier: 'free', localFallback: false })).rejects.toThrow(/all providers failed/);
  });

  it('tier hourly limit holds under 100 concurrent calls from two processes, and resets next hour', async () => {
    const { a, b, clock } = pair({});
    const res = await Promise.all(Array.from({ length: 100 }, (_, i) => call(i % 2 ? a : b, i, { tier: 'premium' })));
    expect(res.filter((r) => r.provider === 'openai')).toHaveLength(10);
    expect(res.find((r) => r.provider === 'local')!.record.fallbackReason).toMatch(/rate limited: tier premium coordination hourly \(10 calls\)/);
    const err = await call(a, 0, { tier: 'premium', localFallback: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).status).toBe(429);
    expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    clock.advance(3_600_000);
    const next = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? a : b, i, { tier: 'premium' })));
    expect(next.filter((r) => r.provider === 'openai')).toHaveLength(5); // daily limit 15
  });

  it('whale: unlimited, with one cost alert when the day passes the threshold', async () => {
    const alerts: BudgetAlert[] = [];
    const { a, b } = pair({ onAlert: (x) => void alerts.push(x) });
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => call(i % 2 ? a : b, i, { tier: 'whale' })));
    expect(res.every((r) => r.provider === 'openai')).toBe(true);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ tenant: 'p1', limitUsd: 0.002, fraction: 1 });
  });

  it('refuses a call whose own estimate passes the per-call hard limit', async () => {
    const { a } = pair({ budgets: { call: { tokens: { hard: 100 } } } });
    const r = await call(a, 0);
    expect(r.provider).toBe('local');
  });
});
