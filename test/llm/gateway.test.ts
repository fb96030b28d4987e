import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, Rng, ValidationError } from '../../shared/index.ts';
import { CallAbortedError, LlmGateway, providersFromEnv } from '../../llm/index.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor, KEYS, Plan, testRegistry } from './helpers.ts';
import { startRedis } from './redisServer.ts';
import type { TestRedis } from './redisServer.ts';

const ask = (content = 'plan') => ({ operation: 'tactics', messages: [{ role: 'user' as const, content }], schema: Plan });

describe('LlmGateway', () => {
  let openai: FakeProvider;
  let gemini: FakeProvider;
  let redis: TestRedis;
  beforeAll(async () => {
    [openai, gemini, redis] = await Promise.all([startFake('openai'), startFake('gemini'), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([openai.close(), gemini.close(), redis.stop()]);
  });
  const reset = (): void => {
    for (const f of [openai, gemini]) {
      f.requests.length = 0;
      f.respond(() => ({ type: 'ok', text: '{"ok":true}' }));
    }
  };

  it('runs on the local handler alone when no key is configured', async () => {
    const gw = new LlmGateway({ providers: {} });
    gw.registerLocal<{ n: number }, { ok: boolean }>('tactics', ({ input }) => ({ ok: input.n > 0 }));
    const r = await gw.call({ ...ask(), input: { n: 1 } });
    expect(r).toMatchObject({ value: { ok: true }, provider: 'local', cached: false });
    expect(r.record.fallbackUsed).toBe(false);
    expect(gw.providers).toEqual(['local']);
    expect(providersFromEnv({ OPENAI_API_KEY: 'k1', OPENAI_BASE_URL: 'http://x/v1', GEMINI_API_KEY: ' ', ANTHROPIC_API_KEY: undefined })).toEqual({ openai: { kind: 'openai', apiKey: 'k1', baseURL: 'http://x/v1' } });
  });

  it('falls back across providers: openai 503 → gemini', async () => {
    reset();
    openai.respond(() => ({ type: 'error', status: 503 }));
    const { gw } = gatewayFor([openai, gemini], { routing: { strategy: 'cost' }, retry: { maxRetries: 0 } });
    const r = await gw.call(ask());
    expect(r.provider).toBe('gemini');
    expect(r.record.fallbackUsed).toBe(true);
    expect(r.record.fallbackReason).toBe('openai:gpt-4o-mini: server');
    expect(r.decision!.chain.map((c) => c.provider)).toEqual(['openai', 'gemini']);
  });

  it('circuit breaker: opens after K failures, skips the model, half-opens after the cooldown, closes on success', async () => {
    reset();
    openai.respond(() => ({ type: 'error', status: 500 }));
    const { gw, clock } = gatewayFor([openai], { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, cooldownMs: 5_000 }, cache: { enabled: false } });
    await gw.call(ask());
    await gw.call(ask());
    expect((await gw.health()).breakers['openai:gpt-4o-mini']!.status).toBe('open');
    const skipped = await gw.call(ask());
    expect(skipped.provider).toBe('local');
    expect(skipped.record.attempts[0]!.outcome).toBe('skipped:circuit_open');
    expect(openai.requests).toHaveLength(2);
    clock.advance(5_000);
    openai.respond(() => ({ type: 'ok', text: '{"ok":true}' }));
    const probe = await gw.call(ask());
    expect(probe.provider).toBe('openai');
    expect((await gw.health()).breakers['openai:gpt-4o-mini']!.status).toBe('closed');
  });

  it('breaker state is shared through Redis between two gateways', async () => {
    reset();
    openai.respond(() => ({ type: 'error', status: 500 }));
    const mk = (): LlmGateway => {
      const g = new LlmGateway({ registry: testRegistry(), providers: { openai: { apiKey: KEYS.openai, baseURL: openai.baseURL } }, redis: redis.client(), keyPrefix: 'brk:', clock: new ManualClock(5), retry: { maxRetries: 0 }, breaker: { failureThreshold: 2 }, cache: { enabled: false } });
      g.registerLocal('*', () => ({ ok: false }));
      return g;
    };
    const [a, b] = [mk(), mk()];
    await a.call(ask());
    await b.call(ask());
    const h = await a.health();
    expect(h.shared).toBe(true);
    expect(h.breakers['openai:gpt-4o-mini']!.status).toBe('open');
    expect((await b.call(ask())).record.attempts[0]!.outcome).toBe('skipped:circuit_open');
  });

  it('caches validated replies by normalised request; not errors, not creative operations; TTL per operation', async () => {
    reset();
    const { gw, clock } = gatewayFor([openai]);
    const first = await gw.call(ask('Where to attack?  \r\n'));
    const second = await gw.call(ask('Where to attack?'));
    expect(second).toMatchObject({ cached: true, value: { ok: true }, provider: 'openai' });
    expect(second.record.costUsd).toBe(0);
    expect(openai.requests).toHaveLength(1);
    expect(first.cached).toBe(false);
    expect([gw.cache.hits, gw.cache.misses]).toEqual([1, 1]);
    clock.advance(30_001); // tactics TTL 30 s
    expect((await gw.call(ask('Where to attack?'))).cached).toBe(false);
    // creative (dialogue): never cached
    await gw.call({ operation: 'dialogue', messages: [{ role: 'user', content: 'hi' }] });
    await gw.call({ operation: 'dialogue', messages: [{ role: 'user', content: 'hi' }] });
    expect(openai.requests).toHaveLength(4);
    // errors are not cached
    openai.respond(() => ({ type: 'error', status: 500 }));
    expect((await gw.call(ask('err'))).provider).toBe('local');
    openai.respond(() => ({ type: 'ok', text: '{"ok":true}' }));
    expect((await gw.call(ask('err'))).provider).toBe('openai');
  });

  it('shares the cache through Redis (key independent of the provider that answered)', async () => {
    reset();
    const mk = (p: FakeProvider): LlmGateway => new LlmGateway({ registry: testRegistry(), providers: { [p.kind]: { apiKey: KEYS[p.kind], baseURL: p.baseURL } }, redis: redis.client(), keyPrefix: 'cache:' });
    await mk(openai).call(ask('shared'));
    const hit = await mk(gemini).call(ask('shared'));
    expect(hit).toMatchObject({ cached: true, provider: 'openai' });
    expect(gemini.requests).toHaveLength(0);
  });

  it('enforces the total deadline across attempts', async () => {
    reset();
    openai.respond(() => ({ type: 'ok', text: '{"ok":true}', delayMs: 400 }));
    const { gw } = gatewayFor([openai]);
    const t = performance.now();
    const r = await gw.call({ ...ask('slow'), deadlineMs: 150 });
    expect(performance.now() - t).toBeLessThan(380);
    expect(r.provider).toBe('local');
    expect(r.record.attempts[0]!.outcome).toBe('timeout');
  });

  it("stops at once when the caller's signal aborts", async () => {
    reset();
    openai.respond(() => ({ type: 'hang' }));
    const { gw } = gatewayFor([openai]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('tick moved on')), 30);
    await expect(gw.call({ ...ask('abort'), signal: ac.signal })).rejects.toBeInstanceOf(CallAbortedError);
    const pre = new AbortController();
    pre.abort();
    await expect(gw.call({ ...ask(), signal: pre.signal })).rejects.toBeInstanceOf(CallAbortedError);
  });

  it('validates the request and the local handler output', async () => {
    const gw = new LlmGateway({ providers: {} });
    await expect(gw.call({ operation: '', messages: [{ role: 'boss' as 'user', content: 'x' }] })).rejects.toThrow(ValidationError);
    await expect(gw.call({ operation: '', messages: [] })).rejects.toThrow('invalid llm request: operation: expected a non-empty string');
    gw.registerLocal('tactics', () => ({ ok: 'maybe' }));
    await expect(gw.call(ask())).rejects.toThrow(/local output invalid: schema: ok:/);
    await expect(gw.call({ ...ask(), operation: 'other' })).rejects.toThrow(/no local handler/);
  });

  it('uses an operation preset, overridable per call', async () => {
    reset();
    const { gw } = gatewayFor([openai], { rng: Rng.create('p') });
    await gw.call({ ...ask('preset'), overrides: { temperature: 0.1, maxTokens: 50 } });
    expect(openai.requests[0]!.body).toMatchObject({ temperature: 0.1, max_completion_tokens: 50 });
  });
});
