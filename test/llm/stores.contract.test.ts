import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/index.ts';
import { DEFAULT_BREAKER_POLICY } from '../../llm/index.ts';
import { memoryBackend, redisBackend } from './storeBackends.ts';

const policy = { ...DEFAULT_BREAKER_POLICY, failureThreshold: 3, failureRate: 0.5, minCalls: 4, windowMs: 10_000, cooldownMs: 5_000 };

// The same contract runs against every adapter (memory and a real redis-server started here).
describe.each([memoryBackend(), redisBackend(), redisBackend({ fallback: true })])('store contract: $name', (backend) => {
  let n = 0;
  const ns = (): string => `c${++n}`;
  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());

  describe('CounterStore', () => {
    it('reserves all-or-nothing and reports which item refused', async () => {
      const { counters } = backend.make(ns(), new ManualClock(0));
      expect((await counters.reserve([{ key: 'a', amount: 3, limit: 5, ttlMs: 60_000 }, { key: 'b', amount: 1, limit: 10, ttlMs: 60_000 }])).ok).toBe(true);
      const r = await counters.reserve([{ key: 'b', amount: 1, limit: 10, ttlMs: 60_000 }, { key: 'a', amount: 3, limit: 5, ttlMs: 60_000 }]);
      expect(r).toMatchObject({ ok: false, failed: 1 });
      expect(r.before).toEqual([1, 3]);
      expect(await counters.get(['a', 'b', 'missing'])).toEqual([3, 1, 0]);
      expect((await counters.reserve([{ key: 'a', amount: 2, limit: 5, ttlMs: 60_000 }])).ok).toBe(true);
      expect(await counters.add([{ key: 'a', amount: -4, ttlMs: 60_000 }])).toEqual([1]);
      expect((await counters.reserve([{ key: 'x', amount: 7, limit: Infinity, ttlMs: 60_000 }])).ok).toBe(true);
    });

    it('never passes a limit under 100 concurrent reservations from two clients', async () => {
      const id = ns();
      const clock = new ManualClock(0);
      const a = backend.make(id, clock).counters;
      const b = backend.make(id, clock).counters;
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).reserve([{ key: 'spend', amount: 7, limit: 250, ttlMs: 60_000 }])));
      expect(results.filter((r) => r.ok)).toHaveLength(35);
      expect(await a.get(['spend'])).toEqual([245]);
    });

    it('expires counters after their TTL', async () => {
      const clock = new ManualClock(0);
      const { counters, redis } = backend.make(ns(), clock);
      await counters.reserve([{ key: 'ttl', amount: 1, limit: 5, ttlMs: 50 }]);
      if (redis) await new Promise((r) => setTimeout(r, 80));
      else clock.advance(51);
      expect(await counters.get(['ttl'])).toEqual([0]);
    });
  });

  describe('BreakerStore', () => {
    it('opens after K failures, half-opens after the cooldown with one probe, closes on success', async () => {
      const { breakers } = backend.make(ns(), new ManualClock(0));
      const k = 'openai:gpt';
      let t = 1000;
      for (let i = 0; i < 2; i++) expect((await breakers.record(k, false, t, policy)).status).toBe('closed');
      expect((await breakers.record(k, false, t, policy)).status).toBe('open');
      expect(await breakers.acquire(k, t + 4_999, policy)).toBe(false);
      t += 5_000;
      expect(await breakers.acquire(k, t, policy)).toBe(true); // the probe
      expect(await breakers.acquire(k, t + 1, policy)).toBe(false); // only one probe
      expect((await breakers.snapshot())[k]?.status).toBe('half_open');
      expect((await breakers.record(k, true, t + 2, policy)).status).toBe('closed');
      expect(await breakers.acquire(k, t + 3, policy)).toBe(true);
    });

    it('re-opens when the half-open probe fails', async () => {
      const { breakers } = backend.make(ns(), new ManualClock(0));
      const k = 'm';
      for (let i = 0; i < 3; i++) await breakers.record(k, false, 0, policy);
      expect(await breakers.acquire(k, 5_000, policy)).toBe(true);
      expect((await breakers.record(k, false, 5_001, policy)).status).toBe('open');
      expect(await breakers.acquire(k, 9_000, policy)).toBe(false);
      expect(await breakers.acquire(k, 10_001, policy)).toBe(true);
    });

    it('with few calls K failures open it; with many, only the failure rate does; and it forgets old windows', async () => {
      const { breakers } = backend.make(ns(), new ManualClock(0));
      const few = 'few';
      await breakers.record(few, false, 0, policy);
      await breakers.record(few, false, 1, policy);
      expect((await breakers.record(few, false, 2, policy)).status).toBe('open'); // 3 failures in 3 calls
      // A busy deployment failing now and then stays closed: K failures alone do not open it past minCalls calls.
      const busy = 'busy';
      for (let t = 0; t < 6; t++) await breakers.record(busy, true, t, policy);
      for (let t = 6; t < 9; t++) expect((await breakers.record(busy, false, t, policy)).status).toBe('closed'); // 3 of 9
      for (let t = 9; t < 11; t++) expect((await breakers.record(busy, false, t, policy)).status).toBe('closed'); // 5 of 11
      expect((await breakers.record(busy, false, 11, policy)).status).toBe('open'); // 6 of 12 = 50%
      const k2 = 'window';
      await breakers.record(k2, false, 0, policy);
      await breakers.record(k2, false, 1, policy);
      expect((await breakers.record(k2, false, 20_000, policy)).status).toBe('closed'); // new window
    });

    it('is shared between two clients (processes)', async () => {
      const id = ns();
      const a = backend.make(id, new ManualClock(0)).breakers;
      const b = backend.make(id, new ManualClock(0)).breakers;
      for (let i = 0; i < 3; i++) await a.record('shared', false, 0, policy);
      expect(await b.acquire('shared', 1, policy)).toBe(false);
    });
  });

  describe('CacheStore', () => {
    it('stores, reads back and expires entries', async () => {
      const clock = new ManualClock(0);
      const { cache, redis } = backend.make(ns(), clock);
      expect(await cache.get('k')).toBeUndefined();
      // Redis expires by its own clock: long enough that a busy machine reads it back in time.
      await cache.set('k', '{"v":1}', 500);
      expect(await cache.get('k')).toBe('{"v":1}');
      if (redis) await new Promise((r) => setTimeout(r, 600));
      else clock.advance(501);
      expect(await cache.get('k')).toBeUndefined();
    });
  });
});
