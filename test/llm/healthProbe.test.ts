import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError, createAdapter, HealthProbe, LiveStats, probeRequest, ProviderError, Redactor, Router } from '../../llm/index.ts';
import type { ProbeSend } from '../../llm/index.ts';
import { ManualClock } from '../../shared/index.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { KEYS, testRegistry } from './helpers.ts';

const OA = 'openai:gpt-4o-mini';
const AN = 'anthropic:claude-haiku-4-5';
const GE = 'gemini:gemini-2.5-flash';
const ALL = [OA, AN, GE];

function setup(send: ProbeSend, opts = {}, skip?: (id: string) => boolean): { probe: HealthProbe; stats: LiveStats; clock: ManualClock } {
  const clock = new ManualClock(10_000_000);
  const stats = new LiveStats(clock);
  const probe = new HealthProbe({ stats, clock, models: () => ALL, send, ...(skip && { skip }) }, { idleMs: 60_000, timeoutMs: 50, ...opts });
  return { probe, stats, clock };
}

describe('HealthProbe', () => {
  it('checks only deployments idle for idleMs, oldest first, and skips the ones it is told to', () => {
    const { probe, stats, clock } = setup(async () => undefined, {}, (id) => id === GE);
    stats.record(OA, { ok: true, latencyMs: 10, at: clock.now() - 30_000 });
    stats.record(AN, { ok: true, latencyMs: 10, at: clock.now() - 90_000 });
    expect(probe.due()).toEqual([AN]);
    clock.advance(30_000);
    expect(probe.due()).toEqual([AN, OA]);
  });

  it('records each outcome as a check: ok, a provider failure, a missed deadline (even when the send ignores its signal); a refusal is skipped', async () => {
    const send: ProbeSend = async (id) => {
      if (id === OA) return 'ok';
      if (id === AN) throw new ProviderError({ provider: 'anthropic', model: 'claude-haiku-4-5', kind: 'server', status: 503, message: 'overloaded' });
      return new Promise(() => undefined); // never answers, never listens
    };
    const { probe, stats } = setup(send);
    const results = await probe.runOnce();
    expect(results.map((r) => [r.id, r.outcome])).toEqual([[AN, 'server'], [GE, 'timeout'], [OA, 'ok']]);
    expect(results.find((r) => r.id === GE)!.ms).toBeGreaterThanOrEqual(45);
    expect(stats.figures(AN)).toMatchObject({ attempts: 0, lastProbe: { ok: false, kind: 'server' }, lastError: { kind: 'server', probe: true } });
    expect(stats.figures(OA)).toMatchObject({ attempts: 0, lastProbe: { ok: true }, lastError: null });
    // Routing: the deployments whose check failed go last.
    const d = new Router(testRegistry().models, stats).route({ inputTokens: 100, maxTokens: 100, needsJson: true, needsStreaming: false }, { strategy: 'performance' });
    expect(d.chain.map((c) => c.id)).toEqual([OA, AN, GE]);
    expect(d.scores.filter((c) => c.unhealthy).map((c) => c.id)).toEqual([AN, GE]);

    const refused = setup(async () => {
      throw new BudgetExceededError('deployment-daily', 'cost', 'spent');
    });
    expect((await refused.probe.runOnce()).map((r) => r.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(refused.stats.snapshot()).toEqual({});
  });

  it('checks a deployment once per idle period', async () => {
    let sent = 0;
    const { probe, clock } = setup(async () => void sent++);
    await probe.runOnce();
    expect(sent).toBe(3);
    await probe.runOnce();
    expect(sent).toBe(3);
    clock.advance(60_000);
    await probe.runOnce();
    expect(sent).toBe(6);
  });

  it('keeps at most maxConcurrent checks in flight and runs one round at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const send: ProbeSend = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    };
    const { probe } = setup(send, { maxConcurrent: 2 });
    const a = probe.runOnce();
    expect(probe.runOnce()).toBe(a);
    expect(await a).toHaveLength(3);
    expect(most).toBe(2);
  });

  it('stop() aborts checks in flight and records nothing for them', async () => {
    const signals: AbortSignal[] = [];
    const send: ProbeSend = (_id, signal) => {
      signals.push(signal);
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    };
    const { probe, stats } = setup(send, { timeoutMs: 60_000, maxConcurrent: 3 });
    const round = probe.runOnce();
    await new Promise((r) => setImmediate(r));
    await probe.stop();
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect((await round).map((r) => r.outcome)).toEqual(['aborted', 'aborted', 'aborted']);
    expect(stats.snapshot()).toEqual({});
  });

  it('names bad options', () => {
    const clock = new ManualClock();
    expect(() => new HealthProbe({ stats: new LiveStats(clock), clock, models: () => [], send: async () => undefined }, { intervalMs: 1, timeoutMs: -1 })).toThrow(/invalid health check options: intervalMs: expected a number >= 10, got 1; timeoutMs: expected a number >= 1, got -1/);
  });
});

describe('HealthProbe through a real adapter and a fake provider', () => {
  let openai: FakeProvider;
  beforeAll(async () => {
    openai = await startFake('openai');
  });
  afterAll(async () => openai.close());

  it('sends one-token requests and reads ok, 5xx and a hang from the wire', async () => {
    const adapter = createAdapter('openai', { apiKey: KEYS.openai, baseURL: openai.baseURL }, new Redactor());
    const clock = new ManualClock(0);
    const stats = new LiveStats(clock);
    const probe = new HealthProbe({ stats, clock, models: () => [OA], send: (_id, signal) => adapter.complete(probeRequest('gpt-4o-mini', 200), signal) }, { idleMs: 0, timeoutMs: 200 });
    openai.queue({ type: 'ok', text: '' }, { type: 'error', status: 500 }, { type: 'hang' });
    expect((await probe.runOnce()).map((r) => r.outcome)).toEqual(['ok']); // an empty reply is still an answer
    expect(openai.requests[0]!.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0 });
    expect(JSON.stringify(openai.requests[0]!.body)).toMatch(/"max_(completion_)?tokens":1\b/);
    expect((await probe.runOnce()).map((r) => r.outcome)).toEqual(['server']);
    expect((await probe.runOnce()).map((r) => r.outcome)).toEqual(['timeout']);
    expect(stats.figures(OA).lastProbe).toMatchObject({ ok: false, kind: 'timeout' });
  });
});
