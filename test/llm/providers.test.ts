import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllProvidersFailedError, ProviderError, untrusted } from '../../llm/index.ts';
import { promptText, startFake } from './fakeProvider.ts';
import type { FakeKind, FakeProvider } from './fakeProvider.ts';
import { gatewayFor, KEYS, MODEL, Plan } from './helpers.ts';

const KINDS: FakeKind[] = ['openai', 'anthropic', 'gemini'];

describe.each(KINDS)('%s through its real SDK against a fake server', (kind) => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFake(kind);
  });
  afterAll(async () => {
    await fake.close();
  });
  const fresh = (): void => {
    fake.requests.length = 0;
    fake.respond(() => ({ type: 'ok', text: '{"ok":true}' }));
  };

  it('succeeds with native JSON-schema output, the right path and auth header, and parsed usage', async () => {
    fresh();
    fake.queue({ type: 'ok', text: '{"ok":true}', usage: { input: 1000, output: 200, cached: 400 } });
    const { gw } = gatewayFor([fake]);
    const r = await gw.call({ operation: 'tactics', messages: [{ role: 'system', content: 'Plan.' }, { role: 'user', content: 'go' }], schema: Plan });
    expect(r.value).toEqual({ ok: true });
    expect(r.provider).toBe(kind);
    expect(r.model).toBe(MODEL[kind]);
    const req = fake.requests[0]!;
    if (kind === 'openai') {
      expect(req.path).toBe('/v1/chat/completions');
      expect(req.headers.authorization).toBe(`Bearer ${KEYS.openai}`);
      expect(req.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'tactics', strict: true, schema: { type: 'object', required: ['ok'] } } });
      expect(req.body.temperature).toBe(0.4);
      expect(req.body.max_completion_tokens).toBe(600);
    } else if (kind === 'anthropic') {
      expect(req.path).toBe('/v1/messages');
      expect(req.headers['x-api-key'] ?? req.headers.authorization).toContain(KEYS.anthropic);
      expect(req.headers['anthropic-version']).toBeTruthy();
      expect(req.body.output_config).toMatchObject({ format: { type: 'json_schema', schema: { type: 'object' } } });
      expect(req.body.max_tokens).toBe(600);
    } else {
      expect(req.path).toBe(`/v1beta/models/${MODEL.gemini}:generateContent`);
      expect(req.headers['x-goog-api-key']).toBe(KEYS.gemini);
      expect(req.body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: { type: 'object' }, maxOutputTokens: 600 });
    }
    expect(r.record).toMatchObject({ inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400, outcome: 'ok', retries: 0, fallbackUsed: false });
    const price = { openai: [0.15, 0.075, 0.6], anthropic: [1, 0.1, 5], gemini: [0.3, 0.03, 2.5] }[kind];
    expect(r.record.costUsd).toBeCloseTo((600 * price[0]! + 400 * price[1]! + 200 * price[2]!) / 1e6, 12);
  });

  it('moves down the chain on a Retry-After and rests the deployment for the time it asked, here and in the next call', async () => {
    fresh();
    fake.queue({ type: 'error', status: 429, headers: { 'retry-after-ms': '400', 'retry-after': '0.4' }, retryDelay: '0.4s' });
    const { gw, clock, delays } = gatewayFor([fake]);
    const first = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'short retry' }], schema: Plan });
    expect(first.provider).toBe('local');
    expect(first.record.fallbackReason).toContain('retry-after 400 ms');
    expect(delays).toHaveLength(0);
    expect(fake.requests).toHaveLength(1);
    // Within the stated time the deployment is skipped without a request.
    clock.advance(300);
    const second = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'still resting' }], schema: Plan });
    expect(second.provider).toBe('local');
    expect(second.record.attempts[0]!.outcome).toBe('skipped:cooling_down');
    expect(fake.requests).toHaveLength(1);
    // After it, the deployment answers again.
    clock.advance(150);
    const third = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'rested' }], schema: Plan });
    expect(third.provider).toBe(kind);
    expect(fake.requests).toHaveLength(2);
  });

  it('falls back at once on a Retry-After above the cap (no SDK sleep, no gateway sleep)', async () => {
    fresh();
    fake.queue({ type: 'error', status: 429, headers: { 'retry-after': '120' }, retryDelay: '120s' });
    const { gw, delays } = gatewayFor([fake]);
    const t = performance.now();
    const r = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'long retry' }], schema: Plan });
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.provider).toBe('local');
    expect(r.record.fallbackUsed).toBe(true);
    expect(r.record.fallbackReason).toContain('retry-after');
    expect(delays).toHaveLength(0);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 500 once with backoff, then falls back', async () => {
    fresh();
    fake.respond(() => ({ type: 'error', status: 500, message: 'boom' }));
    const { gw, delays } = gatewayFor([fake]);
    const r = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: '500' }], schema: Plan });
    expect(r.provider).toBe('local');
    expect(fake.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(r.record.attempts.map((a) => a.outcome)).toEqual(['server', 'server', 'ok']);
  });

  it('times out a hanging attempt with its AbortSignal and falls back within the deadline', async () => {
    fresh();
    fake.respond(() => ({ type: 'hang' }));
    const { gw } = gatewayFor([fake], { retry: { maxRetries: 0 } });
    const t = performance.now();
    const r = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'hang' }], schema: Plan, overrides: { timeoutMs: 150 }, deadlineMs: 1000 });
    expect(performance.now() - t).toBeLessThan(900);
    expect(r.provider).toBe('local');
    expect(r.record.attempts[0]!.outcome).toBe('timeout');
  });

  it('treats malformed JSON as invalid output: one repair, then fallback', async () => {
    fresh();
    fake.respond(() => ({ type: 'ok', text: '{"ok": tru' }));
    const { gw } = gatewayFor([fake]);
    const r = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'malformed' }], schema: Plan });
    expect(r.provider).toBe('local');
    expect(r.record.repairs).toBe(1);
    expect(r.record.attempts.map((a) => a.outcome)).toEqual(['invalid_output', 'invalid_output', 'ok']);
    expect(fake.requests).toHaveLength(2);
    // The repair request carries the validation error.
    expect(promptText(kind, fake.requests[1]!.body).user).toContain('not JSON');
    expect(gw.telemetry.aggregates().invalidOutputs).toBe(2);
  });

  it('repairs schema-invalid JSON when the second reply is valid', async () => {
    fresh();
    fake.queue({ type: 'ok', text: '{"ok":"yes"}' }, { type: 'ok', text: '```json\n{"ok":true}\n```' });
    const { gw } = gatewayFor([fake]);
    const r = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'schema invalid' }], schema: Plan });
    expect(r.provider).toBe(kind);
    expect(r.value).toEqual({ ok: true });
    expect(r.record.repairs).toBe(1);
    expect(promptText(kind, fake.requests[1]!.body).user).toMatch(/schema: ok: /);
  });

  it('throws a request-caused 4xx without falling back', async () => {
    fresh();
    fake.queue({ type: 'error', status: 400, message: 'bad param' });
    const { gw } = gatewayFor([fake]);
    const err = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: '400' }], schema: Plan }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('bad_request');
    expect((err as ProviderError).status).toBe(400);
    expect(fake.requests).toHaveLength(1);
  });

  it('streams text chunks and parses streamed usage', async () => {
    fresh();
    fake.queue({ type: 'stream', chunks: ['Hel', 'lo, ', 'adventurer'], usage: { input: 30, output: 5 } });
    const { gw } = gatewayFor([fake]);
    const s = gw.stream({ operation: 'dialogue', messages: [{ role: 'user', content: ['Greet: ', untrusted('player chat', 'hi')] }] });
    const chunks: string[] = [];
    for await (const c of s) chunks.push(c);
    const r = await s.result;
    expect(chunks.join('')).toBe('Hello, adventurer');
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(r.provider).toBe(kind);
    expect(r.record.inputTokens).toBe(30);
    expect(r.record.outputTokens).toBe(5);
    if (kind === 'gemini') expect(fake.requests[0]!.path).toContain(':streamGenerateContent?alt=sse');
    else expect(fake.requests[0]!.body.stream).toBe(true);
  });

  it('falls back to local when a stream fails before its first chunk (after one retry, as a call does)', async () => {
    fresh();
    fake.respond(() => ({ type: 'error', status: 503 }));
    const { gw } = gatewayFor([fake]);
    gw.registerLocal('dialogue', () => 'Grr.');
    const s = gw.stream({ operation: 'dialogue', messages: [{ role: 'user', content: 'hi' }] });
    const chunks: string[] = [];
    for await (const c of s) chunks.push(c);
    expect(chunks).toEqual(['Grr.']);
    expect((await s.result).provider).toBe('local');
    expect(fake.requests).toHaveLength(2);
  });

  it('never lets the API key reach errors, telemetry, logs or the fallback reason', async () => {
    fresh();
    // A hostile/buggy upstream echoing the key back in its error body.
    fake.respond((req) => ({ type: 'error', status: 500, message: `upstream saw ${String(req.headers.authorization ?? req.headers['x-api-key'] ?? req.headers['x-goog-api-key'])} key=${KEYS[kind]}` }));
    const logs: string[] = [];
    const logger = { warn: (o: object, m: string) => void logs.push(JSON.stringify(o) + m), debug: (o: object, m: string) => void logs.push(JSON.stringify(o) + m) };
    const { gw } = gatewayFor([fake], { logger });
    gw.registerLocal('*', () => {
      throw new Error('local down');
    });
    const err = await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: 'leak?' }], schema: Plan }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllProvidersFailedError);
    const everything = [
      String(err), (err as Error).message, JSON.stringify(err), String((err as Error).cause),
      JSON.stringify(gw.telemetry.recent()), JSON.stringify(gw.telemetry.aggregates()), JSON.stringify(await gw.health()), ...logs,
    ].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(everything).toContain('upstream saw');
    expect(everything).not.toContain(KEYS[kind]);
    expect(everything).not.toContain('SECRET');
  });
});
