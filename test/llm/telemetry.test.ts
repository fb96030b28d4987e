import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLlmMetrics } from '../../llm/index.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor, KEYS, Plan } from './helpers.ts';

describe('telemetry and metrics', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFake('openai', () => ({ type: 'ok', text: '{"ok":true}', usage: { input: 1000, output: 100 } }));
  });
  afterAll(() => fake.close());

  it('records every call and aggregates latency, errors, cache hits and cost by provider, model, operation, tenant and room', async () => {
    const { gw } = gatewayFor([fake]);
    const registry = new Registry();
    registerLlmMetrics(gw, registry);
    await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'a' }], schema: Plan, tenant: 't1', room: 'r1' });
    await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'a' }], schema: Plan, tenant: 't1', room: 'r1' }); // cache hit
    await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'b' }], schema: Plan, tenant: 't2', room: 'r1' });
    fake.queue({ type: 'error', status: 500 }, { type: 'error', status: 500 });
    await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'c' }], schema: Plan, tenant: 't2' }); // local fallback
    await gw.call({ operation: 'none', messages: [{ role: 'user', content: 'd' }], localFallback: false, routing: { constraints: { excludedProviders: ['openai'] } } }).catch(() => undefined);

    const recent = gw.telemetry.recent(10);
    expect(recent).toHaveLength(5);
    expect(recent[0]!.outcome).toBe('error');
    expect(recent[1]).toMatchObject({ provider: 'local', fallbackUsed: true, retries: 1, tenant: 't2' });
    expect(recent[4]).toMatchObject({ operation: 'tactics', tenant: 't1', room: 'r1', provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 100, cached: false, outcome: 'ok' });
    expect(recent[4]!.requestId).not.toBe(recent[3]!.requestId);
    const agg = gw.telemetry.aggregates();
    const one = (1000 * 0.15 + 100 * 0.6) / 1e6;
    expect(agg).toMatchObject({ count: 5, errors: 1, errorRate: 0.2, cacheHitRate: 0.2 });
    expect(agg.costUsd.total).toBeCloseTo(2 * one, 12);
    expect(agg.costUsd.byTenant.t1).toBeCloseTo(one, 12);
    expect(agg.costUsd.byRoom.r1).toBeCloseTo(2 * one, 12);
    expect(agg.costUsd.byModel['openai:gpt-4o-mini']).toBeCloseTo(2 * one, 12);
    expect(agg.costUsd.byOperation.tactics).toBeCloseTo(2 * one, 12);
    expect(agg.latencyMs.p99).toBeGreaterThanOrEqual(agg.latencyMs.p50);

    const text = await registry.metrics();
    expect(text).toMatch(/llm_calls_total\{provider="openai",model="gpt-4o-mini",operation="tactics",outcome="ok"\} 3/); // two calls and a cache hit
    expect(text).toMatch(/llm_cache_requests_total\{result="hit"\} 1/);
    expect(text).toMatch(/llm_tokens_total\{provider="openai",model="gpt-4o-mini",kind="input"\} 2000/);
    expect(text).toMatch(/llm_attempts_total\{provider="openai",model="gpt-4o-mini",outcome="server"\} 2/);
    expect(text).toContain('llm_cost_usd_total');
    expect(text).toContain('llm_call_duration_seconds_bucket');
    expect(text).toContain('llm_breaker_state{key="openai:gpt-4o-mini"} 0');
    expect(text).not.toContain(KEYS.openai);
  });
});
