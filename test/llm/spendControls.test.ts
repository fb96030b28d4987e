import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError, registerLlmMetrics } from '../../llm/index.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor, Plan } from './helpers.ts';

const ask = (content = 'attack?') => ({ operation: 'tactics', messages: [{ role: 'user' as const, content }], schema: Plan, tenant: 'studio', player: 'p1', room: 'r1' });

/** One sample of a metric from the registry's text, 0 when absent. */
async function metric(reg: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = (await reg.getMetricsAsJSON()).find((x) => x.name === name);
  const v = (m?.values ?? []).find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
  return v ? Number(v.value) : 0;
}

describe('spend controls of the gateway', () => {
  let openai: FakeProvider;
  let anthropic: FakeProvider;
  beforeAll(async () => {
    openai = await startFake('openai');
    anthropic = await startFake('anthropic');
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });
  const fresh = (): void => {
    for (const f of [openai, anthropic]) {
      f.requests.length = 0;
      f.respond(() => ({ type: 'ok', text: '{"ok":true}', usage: { input: 100, output: 20 } }));
    }
  };

  it('cuts the output allowance to what a hard budget has left, and refuses a prompt that cannot fit before sending it', async () => {
    fresh();
    // gpt-4o-mini: $0.15 in / $0.60 out per million. A $0.0002 player budget leaves room for the prompt and
    // fewer than the preset's 600 output tokens.
    const { gw } = gatewayFor([openai], { budgets: { player: { costUsd: { hard: 0.0002 } } } });
    const r = await gw.call(ask());
    expect(r.provider).toBe('openai');
    const sent = openai.requests[0]!.body as { max_completion_tokens: number };
    expect(sent.max_completion_tokens).toBeLessThan(600);
    expect(sent.max_completion_tokens).toBeGreaterThanOrEqual(150);
    // A prompt of some 3,000 tokens alone costs more than what is left: refused without a request.
    const before = openai.requests.length;
    const big = await gw.call({ ...ask(Array.from({ length: 1_500 }, (_, i) => `w${(i * 7919) % 10007}`).join(' ')), localFallback: false }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(BudgetExceededError);
    expect((big as Error).message).toMatch(/budget exceeded: player p1 cost hard limit \(the prompt alone \(\$0\.000\d+\) does not fit/);
    expect(openai.requests.length).toBe(before);
  });

  it('a provider reporting more than was reserved: settled, counted as overshoot, and the scope closes', async () => {
    fresh();
    openai.respond(() => ({ type: 'ok', text: '{"ok":true}', usage: { input: 20_000, output: 20 } }));
    const { gw } = gatewayFor([openai], { budgets: { tenant: { tokens: { hard: 13_000 } } } });
    const reg = new Registry();
    registerLlmMetrics(gw, reg);
    const first = await gw.call(ask());
    expect(first.provider).toBe('openai');
    expect(first.record.inputTokens).toBe(20_000);
    // 20,020 used against 13,000: 7,020 past the limit, counted, and nothing more gets through.
    expect(await metric(reg, 'llm_budget_overshoot_total', { scope: 'tenant', metric: 'tokens' })).toBe(7_020);
    const second = await gw.call(ask('and now?'));
    expect(second.provider).toBe('local');
    expect(second.record.fallbackReason).toMatch(/budget exceeded: tenant studio tokens hard limit/);
    expect(openai.requests).toHaveLength(1);
  });

  it('spend of failed attempts is labelled with the provider and model that spent it, not with local', async () => {
    fresh();
    openai.respond(() => ({ type: 'ok', text: '{"formation": "blob"', usage: { input: 1000, output: 100 } }));
    const { gw } = gatewayFor([openai], { retry: { maxRetries: 0 } });
    const reg = new Registry();
    registerLlmMetrics(gw, reg);
    const r = await gw.call(ask());
    expect(r.provider).toBe('local');
    const perAttempt = (1000 * 0.15 + 100 * 0.6) / 1e6;
    expect(r.record.costUsd).toBeCloseTo(2 * perAttempt, 12); // the answer and its repair
    expect(r.record.attempts.filter((a) => a.provider === 'openai').map((a) => a.costUsd)).toEqual([perAttempt, perAttempt]);
    expect(await metric(reg, 'llm_cost_usd_total', { provider: 'openai', model: 'gpt-4o-mini' })).toBeCloseTo(2 * perAttempt, 12);
    expect(await metric(reg, 'llm_cost_usd_total', { provider: 'local' })).toBe(0);
    expect(await metric(reg, 'llm_tokens_total', { provider: 'openai', kind: 'input' })).toBe(2000);
    expect(await metric(reg, 'llm_tokens_total', { provider: 'local', kind: 'input' })).toBe(0);
    const agg = gw.telemetry.aggregates();
    expect(agg.costUsd.byProvider).toEqual({ openai: expect.closeTo(2 * perAttempt, 12) });
  });

  it('after a timeout the next link in the chain is tried, not the same model again', async () => {
    fresh();
    openai.respond(() => ({ type: 'hang' }));
    const { gw } = gatewayFor([openai, anthropic], { routing: { strategy: 'cost' }, retry: { maxRetries: 2 } });
    const r = await gw.call({ ...ask(), overrides: { timeoutMs: 150 }, deadlineMs: 2_000 });
    expect(r.provider).toBe('anthropic');
    expect(r.record.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['openai:timeout', 'anthropic:ok']);
    expect(openai.requests).toHaveLength(1);
  });

  it('breaker state in /metrics moves by time, and /health says the cloud is unreachable while every breaker is open', async () => {
    fresh();
    for (const f of [openai, anthropic]) f.respond(() => ({ type: 'error', status: 500 }));
    const { gw, clock } = gatewayFor([openai, anthropic], { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1, cooldownMs: 5_000 } });
    const reg = new Registry();
    registerLlmMetrics(gw, reg);
    expect((await gw.health()).cloud).toBe('ok');
    const r = await gw.call(ask());
    expect(r.provider).toBe('local');
    const health = await gw.health();
    expect(health.cloud).toBe('unreachable');
    expect([...health.unavailable].sort()).toEqual(['anthropic:claude-haiku-4-5', 'openai:gpt-4o-mini']);
    expect(await metric(reg, 'llm_breaker_state', { key: 'openai:gpt-4o-mini' })).toBe(2);
    // No call in between: the scrape alone sees the cooldown pass.
    clock.advance(5_000);
    expect(await metric(reg, 'llm_breaker_state', { key: 'openai:gpt-4o-mini' })).toBe(1);
    expect((await gw.health()).cloud).toBe('ok');
  });
});

describe('budget scopes', () => {
  it("a room's own budget and the configured room budget: the stricter level of each applies", async () => {
    const { Budgets } = await import('../../llm/budgets.ts');
    const b = new Budgets({ room: { costUsd: { soft: 0.05, hard: 0.1 } }, deployment: { daily: { tokens: { hard: 1000 } }, monthly: { costUsd: { hard: 50 } } } });
    const now = Date.UTC(2026, 11, 3, 12);
    const items = (roomBudget?: { costUsd: { hard: number } }) => b.items({ tenant: 't', player: 'p', room: 'r', ...(roomBudget && { roomBudget }) }, 10, 20, now);
    const room = (roomBudget?: { costUsd: { hard: number } }) => items(roomBudget).find((i) => i.scope === 'room')!;
    expect(room().limit).toBe(100_000);
    expect(room({ costUsd: { hard: 1 } }).limit).toBe(100_000); // the configuration is a ceiling
    expect(room({ costUsd: { hard: 0.01 } })).toMatchObject({ limit: 10_000, soft: 10_000 });
    expect(items().map((i) => `${i.scope}:${i.metric}:${i.key}`)).toEqual([
      'room:cost:budget:room:r:usd',
      `deployment-daily:tokens:budget:deployment:d:${Math.floor(now / 86_400_000)}:tok`,
      `deployment-monthly:cost:budget:deployment:m:${2026 * 12 + 11}:usd`,
    ]);
  });
});
