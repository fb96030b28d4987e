import { describe, expect, it } from 'vitest';
import { checkConfigText, gatewaySetup, LiveStats } from '../../llm/index.ts';
import type { CallRecord } from '../../llm/index.ts';
import { ManualClock } from '../../shared/index.ts';

const A = 'openai:gpt-4o-mini';

function stats(opts = {}): { s: LiveStats; clock: ManualClock } {
  const clock = new ManualClock(1_000_000);
  return { s: new LiveStats(clock, opts), clock };
}

describe('LiveStats', () => {
  it('success rate and nearest-rank p50/p95 over the attempts in the window', () => {
    const { s, clock } = stats({ windowMs: 60_000 });
    for (let k = 1; k <= 20; k++) s.record(A, { ok: true, latencyMs: k * 10, at: clock.now() });
    const f = s.figures(A);
    expect(f).toMatchObject({ attempts: 20, successes: 20, failures: 0, successRate: 1, latencyMs: { p50: 100, p95: 190, samples: 20 }, lastError: null });
    s.record(A, { ok: false, latencyMs: 2, errorKind: 'server', at: clock.now() });
    expect(s.figures(A)).toMatchObject({ attempts: 21, failures: 1, failuresByKind: { server: 1 }, latencyMs: { samples: 20 } });
    expect(s.figures(A).successRate).toBeCloseTo(20 / 21, 10);
  });

  it('slides: attempts older than the window leave it, with the clock and nothing else', () => {
    const { s, clock } = stats({ windowMs: 60_000 });
    for (let k = 0; k < 5; k++) s.record(A, { ok: true, latencyMs: 50, at: clock.now() });
    clock.advance(30_000);
    for (let k = 0; k < 5; k++) s.record(A, { ok: true, latencyMs: 500, at: clock.now() });
    expect(s.figures(A)).toMatchObject({ attempts: 10, latencyMs: { p50: 50, p95: 500 } });
    clock.advance(29_999);
    expect(s.figures(A).attempts).toBe(10); // the first five are 59.999 s old
    clock.advance(1);
    expect(s.figures(A)).toMatchObject({ attempts: 5, latencyMs: { p50: 500, p95: 500, samples: 5 } });
    clock.advance(30_000);
    expect(s.figures(A)).toMatchObject({ attempts: 0, successRate: null, latencyMs: null });
    // The last attempt and success are remembered beyond the window.
    expect(s.figures(A).lastAttemptAt).toBe(1_030_000);
    expect(s.figures(A).lastSuccessAt).toBe(1_030_000);
  });

  it('decides what counts: timeouts and rate limits fail, a bad request is not the deployment\'s fault; fast failures carry no latency', () => {
    const { s, clock } = stats();
    s.record(A, { ok: true, latencyMs: 100, at: clock.now() });
    s.record(A, { ok: false, latencyMs: 2500, errorKind: 'timeout', at: clock.now() });
    s.record(A, { ok: false, latencyMs: 3, errorKind: 'rate_limit', at: clock.now() });
    s.record(A, { ok: false, latencyMs: 1, errorKind: 'connection', at: clock.now() });
    s.record(A, { ok: false, latencyMs: 40, errorKind: 'bad_request', at: clock.now() + 1 });
    const f = s.figures(A);
    expect(f).toMatchObject({ attempts: 4, successes: 1, failures: 3, successRate: 0.25, failuresByKind: { timeout: 1, rate_limit: 1, connection: 1 } });
    // Latency from the success and the timeout only (1 ms and 3 ms failures would flatter it).
    expect(f.latencyMs).toEqual({ p50: 100, p95: 2500, samples: 2 });
    expect(f.lastError).toEqual({ kind: 'connection', at: clock.now(), probe: false });
  });

  it('keeps bounded memory: at most maxSamples attempts per deployment and maxDeployments deployments', () => {
    const { s, clock } = stats({ maxSamples: 8, maxDeployments: 2 });
    for (let k = 0; k < 100; k++) s.record(A, { ok: k >= 92, latencyMs: k, errorKind: 'server', at: clock.now() });
    expect(s.figures(A)).toMatchObject({ attempts: 8, successes: 8, latencyMs: { p50: 95, samples: 8 } });
    s.record('gemini:x', { ok: true, latencyMs: 1, at: clock.now() });
    s.record('anthropic:y', { ok: true, latencyMs: 1, at: clock.now() });
    expect(Object.keys(s.snapshot())).toEqual(['gemini:x', A]);
    expect(s.dropped).toBe(1);
  });

  it('recomputes after a new attempt even at the same instant (figures are cached between attempts)', () => {
    const { s, clock } = stats();
    s.record(A, { ok: true, latencyMs: 10, at: clock.now() });
    const first = s.figures(A);
    expect(s.figures(A)).toBe(first);
    s.record(A, { ok: true, latencyMs: 30, at: clock.now() });
    expect(s.figures(A).latencyMs).toEqual({ p50: 10, p95: 30, samples: 2 });
  });

  it('takes a call record from telemetry: ok and repair_ok succeed, failures fail, skipped attempts and local are left out', () => {
    const { s, clock } = stats();
    const r = {
      attempts: [
        { provider: 'openai', model: 'gpt-4o-mini', outcome: 'invalid_output', ms: 300 },
        { provider: 'openai', model: 'gpt-4o-mini', outcome: 'repair_ok', ms: 200 },
        { provider: 'gemini', model: 'g', outcome: 'skipped:circuit_open', ms: 0 },
        { provider: 'anthropic', model: 'c', outcome: 'bad_request', ms: 20 },
        { provider: 'local', model: 'tactics', outcome: 'ok', ms: 0 },
      ],
    } as unknown as CallRecord;
    s.recordCall(r);
    expect(s.snapshot()).toEqual({
      [A]: expect.objectContaining({ attempts: 2, successes: 1, failuresByKind: { invalid_output: 1 }, latencyMs: { p50: 200, p95: 300, samples: 2 } }),
    });
    expect(s.figures('gemini:g').attempts).toBe(0);
    expect(s.lastActivityAt(A)).toBe(clock.now());
  });

  it('keeps health checks apart from the window', () => {
    const { s, clock } = stats();
    s.recordProbe(A, { ok: false, latencyMs: 5000, errorKind: 'timeout', at: clock.now() });
    expect(s.figures(A)).toMatchObject({ attempts: 0, latencyMs: null, lastError: { kind: 'timeout', probe: true }, lastProbe: { ok: false, kind: 'timeout' } });
    clock.advance(10);
    expect(s.lastActivityAt(A)).toBe(clock.now() - 10);
  });

  it('names the bad field of a bad attempt or option', () => {
    const { s } = stats();
    expect(() => s.record(A, { ok: true, latencyMs: Number.NaN, at: 0 })).toThrow(/invalid live stats attempt: latencyMs: expected a finite number >= 0, got NaN/);
    expect(() => s.record('', { ok: true, latencyMs: 1, at: 0 })).toThrow(/modelId: expected a non-empty model id/);
    expect(() => new LiveStats(new ManualClock(), { windowMs: 0, maxSamples: 1.5 })).toThrow(/invalid live stats options: windowMs: expected a number >= 1, got 0; maxSamples: expected an integer >= 1, got 1.5/);
  });
});

describe('routing.live in the config file', () => {
  it('reaches the gateway options; bad values are named with their path', () => {
    const good = checkConfigText('routing:\n  strategy: performance\n  live: { minSamples: 8, minSuccessRate: 0.9, windowMs: 120000, healthChecks: { intervalMs: 30000, idleMs: 600000, timeoutMs: 3000 } }\n', 'live.yaml', '.');
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    expect(gatewaySetup(good.loaded, {}).options.routing?.live).toEqual({ minSamples: 8, minSuccessRate: 0.9, windowMs: 120000, healthChecks: { intervalMs: 30000, idleMs: 600000, timeoutMs: 3000 } });
    const bad = checkConfigText('routing:\n  live: { minSuccessRate: 2, windowMs: 10, healthChecks: { intervalMs: 5, every: 1 } }\n', 'bad.yaml', '.');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => i.path.join('.'))).toEqual(['routing.live.minSuccessRate', 'routing.live.windowMs', 'routing.live.healthChecks.intervalMs', 'routing.live.healthChecks.every']);
  });
});
