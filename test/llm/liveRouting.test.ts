import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveStats } from '../../llm/index.ts';
import type { GatewayOptions, LlmGateway, Strategy } from '../../llm/index.ts';
import type { ManualClock } from '../../shared/index.ts';
import { startFake } from './fakeProvider.ts';
import type { FakeProvider } from './fakeProvider.ts';
import { gatewayFor, Plan, testRegistry } from './helpers.ts';

const OA = 'openai:gpt-4o-mini';
const GE = 'gemini:gemini-2.5-flash';

/**
 * Two fake providers behind a real gateway, its router reading live figures fed from the gateway's telemetry (every
 * provider attempt of every call). OpenAI answers fast, then turns slow; the traffic moves to Gemini.
 */
describe('routing on live figures, through the gateway and two fakes', () => {
  let openai: FakeProvider;
  let gemini: FakeProvider;
  let openaiDelayMs = 0;
  beforeAll(async () => {
    [openai, gemini] = await Promise.all([
      startFake('openai', () => ({ type: 'ok', text: '{"ok":true}', delayMs: openaiDelayMs })),
      startFake('gemini', () => ({ type: 'ok', text: '{"ok":true}', delayMs: 100 })),
    ]);
  });
  afterAll(async () => {
    await Promise.all([openai.close(), gemini.close()]);
  });

  /** A gateway over both fakes with the same price and quality for both, so latency (and health) decide. */
  const setup = (strategy: Strategy, more: Partial<GatewayOptions> = {}): { gw: LlmGateway; stats: LiveStats; clock: ManualClock } => {
    const same = { price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: '2026-01-01' }, quality: 0.7 };
    const { gw, clock } = gatewayFor([openai, gemini], { registry: testRegistry({ openai: same, gemini: same }), routing: { strategy }, cache: { enabled: false }, ...more });
    const stats = new LiveStats(clock);
    gw.router.useLiveStats(stats);
    gw.telemetry.onRecord((r) => stats.recordCall(r));
    return { gw, stats, clock };
  };
  const ask = (k: number) => ({ operation: 'tactics', messages: [{ role: 'user' as const, content: `plan ${k}` }], schema: Plan });
  /** First calls pay for SDK set-up and new connections; let those leave the window before measuring. */
  const warm = async (gw: LlmGateway, clock: ManualClock, stats: LiveStats): Promise<void> => {
    for (const pinned of [OA, GE, OA, GE]) await gw.call({ ...ask(-1), routing: { strategy: 'pinned', pinned } });
    clock.advance(stats.windowMs + 1);
    // Each deployment gets 5 attempts (round robin), enough for live figures.
    for (let k = 0; k < 10; k++) await gw.call({ ...ask(k), routing: { strategy: 'round_robin' } });
  };

  for (const strategy of ['performance', 'balanced'] as const) {
    it(`${strategy}: traffic moves off the deployment that turned slow`, async () => {
      openaiDelayMs = 0;
      const { gw, stats, clock } = setup(strategy);
      await warm(gw, clock, stats);
      expect(stats.figures(OA).attempts).toBe(5);
      expect(stats.figures(GE).attempts).toBe(5);
      const first = await gw.call(ask(10));
      expect(first.provider).toBe('openai');
      expect(first.decision!.reason).toContain(`live figures: ${OA}, ${GE}`);

      openaiDelayMs = 400;
      const served: string[] = [];
      for (let k = 0; k < 16; k++) served.push((await gw.call(ask(100 + k))).provider);
      // OpenAI keeps the traffic until its live p50 passes Gemini's: at the latest when its slow attempts outnumber
      // its 6 fast ones in the window. Then every call goes to Gemini.
      const moved = served.indexOf('gemini');
      expect(moved).toBeGreaterThan(0);
      expect(moved).toBeLessThanOrEqual(7);
      expect(served.slice(moved)).toEqual(Array(16 - moved).fill('gemini'));
      expect(stats.figures(OA).latencyMs!.p50).toBeGreaterThan(stats.figures(GE).latencyMs!.p50);
      expect(stats.figures(OA).latencyMs!.p95).toBeGreaterThanOrEqual(400);
      const last = (await gw.call(ask(200))).decision!;
      expect(last.chain.map((c) => c.id)).toEqual([GE, OA]);
      expect(last.reason).toMatch(new RegExp(`^${strategy}: ${GE} \\(.*live p50 \\d+ ms`));
    }, 30_000);
  }

  it('a failing deployment is ranked down while it fails, before any breaker opens', async () => {
    openaiDelayMs = 0;
    // A breaker that would need many more failures: the live success rate is what moves the traffic here.
    const { gw, stats, clock } = setup('performance', { breaker: { failureThreshold: 100, minCalls: 100 }, retry: { maxRetries: 0 } });
    await warm(gw, clock, stats);
    expect((await gw.call(ask(10))).provider).toBe('openai');
    // OpenAI now answers 429 with no Retry-After to every other request: 50% success.
    openai.respond((_req, n) => (n % 2 === 0 ? { type: 'error', status: 429 } : { type: 'ok', text: '{"ok":true}' }));
    try {
      for (let k = 0; k < 6; k++) await gw.call({ ...ask(20 + k), routing: { strategy: 'pinned', pinned: OA } });
      expect(stats.figures(OA).successRate).toBeLessThan(0.8);
      const d = (await gw.call(ask(30))).decision!;
      expect(d.chain.map((c) => c.id)).toEqual([GE, OA]);
      expect(d.scores.find((c) => c.id === OA)!.unhealthy).toMatch(/^success \d+% < 80% over \d+ attempts$/);
      expect((await gw.breakerStatus())[OA]).toBe('closed');
    } finally {
      openai.respond(() => ({ type: 'ok', text: '{"ok":true}', delayMs: openaiDelayMs }));
    }
  }, 30_000);
});
