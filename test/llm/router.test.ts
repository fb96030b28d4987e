import { describe, expect, it } from 'vitest';
import { LiveStats, Router } from '../../llm/index.ts';
import { ManualClock } from '../../shared/index.ts';
import { testRegistry } from './helpers.ts';

const req = { inputTokens: 500, maxTokens: 600, needsJson: true, needsStreaming: false };
const ids = (xs: readonly { id: string }[]): string[] => xs.map((x) => x.id);

describe('Router', () => {
  const router = (): Router => new Router(testRegistry().models);

  it('cost-optimised picks the cheapest, then spreads fallbacks across providers', () => {
    const d = router().route(req, { strategy: 'cost' });
    expect(ids(d.chain)).toEqual(['openai:gpt-4o-mini', 'gemini:gemini-2.5-flash', 'anthropic:claude-haiku-4-5']);
    expect(d.scores[0]!.score).toBeGreaterThan(d.scores[1]!.score);
    expect(d.reason).toMatch(/^cost: openai:gpt-4o-mini/);
  });

  it('performance-optimised prefers quality and latency', () => {
    // 0.7 × quality + 0.3 × speed: the fast model first, then the best one.
    expect(ids(router().route(req, { strategy: 'performance' }).scores)).toEqual(['openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5', 'gemini:gemini-2.5-flash']);
    expect(router().route(req, { strategy: 'performance', constraints: { minQuality: 0.7 } }).chain[0]!.id).toBe('anthropic:claude-haiku-4-5');
  });

  it('balanced weighs cost, quality and latency (weights configurable)', () => {
    expect(router().route(req, { strategy: 'balanced' }).chain[0]!.id).toBe('openai:gpt-4o-mini');
    expect(router().route(req, { strategy: 'balanced', weights: { cost: 0, quality: 1, latency: 0 } }).chain[0]!.id).toBe('anthropic:claude-haiku-4-5');
  });

  it('round-robin rotates the primary', () => {
    const r = router();
    const firsts = [0, 1, 2, 3].map(() => r.route(req, { strategy: 'round_robin' }).chain[0]!.id);
    expect(new Set(firsts.slice(0, 3)).size).toBe(3);
    expect(firsts[3]).toBe(firsts[0]);
  });

  it('pinned puts the pinned model first, and says so when it is unavailable', () => {
    expect(router().route(req, { strategy: 'pinned', pinned: 'gemini:gemini-2.5-flash' }).chain[0]!.id).toBe('gemini:gemini-2.5-flash');
    const d = router().route(req, { strategy: 'pinned', pinned: 'gemini:gemini-2.5-flash', constraints: { excludedProviders: ['gemini'] } });
    expect(d.chain[0]!.id).not.toContain('gemini');
    expect(d.reason).toContain('pinned gemini:gemini-2.5-flash unavailable (provider excluded)');
  });

  it('filters by constraints and explains each exclusion', () => {
    const d = router().route(req, { strategy: 'balanced', constraints: { maxCostUsd: 0.002, maxLatencyMs: 1150, minQuality: 0.6 } });
    expect(ids(d.chain)).toEqual(['openai:gpt-4o-mini']);
    expect(d.excluded).toEqual(expect.arrayContaining([
      { id: 'anthropic:claude-haiku-4-5', reason: expect.stringContaining('> max $0.002') },
      { id: 'gemini:gemini-2.5-flash', reason: 'latency 1200 ms > max 1150 ms' },
    ]));
    expect(ids(router().route(req, { constraints: { minQuality: 0.75 } }).chain)).toEqual(['anthropic:claude-haiku-4-5']);
  });

  it('orders preferred providers first and never routes to excluded ones', () => {
    const d = router().route(req, { strategy: 'cost', constraints: { preferredProviders: ['anthropic'], excludedProviders: ['openai'] } });
    expect(ids(d.chain)).toEqual(['anthropic:claude-haiku-4-5', 'gemini:gemini-2.5-flash']);
  });

  it('caps the chain at primary + maxFallbacks and respects capabilities and context windows', () => {
    expect(router().route(req, { maxFallbacks: 1 }).chain).toHaveLength(2);
    const d = router().route({ ...req, inputTokens: 200_000 }, {});
    expect(d.chain).toHaveLength(0);
    expect(d.reason).toContain('local only');
  });
});

describe('Router on live figures', () => {
  const OA = 'openai:gpt-4o-mini';
  const AN = 'anthropic:claude-haiku-4-5';
  const GE = 'gemini:gemini-2.5-flash';
  const setup = (registry = testRegistry()): { r: Router; s: LiveStats; clock: ManualClock } => {
    const clock = new ManualClock(0);
    const s = new LiveStats(clock, { windowMs: 60_000 });
    return { r: new Router(registry.models, s), s, clock };
  };
  const feed = (s: LiveStats, clock: ManualClock, id: string, n: number, latencyMs: number, ok = true): void => {
    for (let k = 0; k < n; k++) s.record(id, { ok, latencyMs, ...(!ok && { errorKind: 'server' }), at: clock.now() });
  };

  it('performance: a deployment that turns slow loses the traffic once its live p50 rises', () => {
    const { r, s, clock } = setup();
    feed(s, clock, OA, 10, 40);
    feed(s, clock, AN, 10, 60);
    feed(s, clock, GE, 10, 80);
    expect(r.route(req, { strategy: 'performance' }).chain[0]!.id).toBe(OA);
    // Traffic: each call goes to the primary and is recorded there; OpenAI now answers in 3 s, the others as before.
    const primaries: string[] = [];
    for (let k = 0; k < 30; k++) {
      const p = r.route(req, { strategy: 'performance' }).chain[0]!.id;
      primaries.push(p);
      s.record(p, { ok: true, latencyMs: p === OA ? 3000 : 60, at: clock.now() });
      clock.advance(100);
    }
    // With 10 fast attempts in the window, the 11th slow one lifts the p50 from 40 to 3000 ms: then the traffic moves.
    expect(primaries.slice(0, 11)).toEqual(Array(11).fill(OA));
    expect(primaries.slice(11)).toEqual(Array(19).fill(AN));
    expect(s.figures(OA).latencyMs).toMatchObject({ p50: 3000, samples: 21 });
    const d = r.route(req, { strategy: 'performance' });
    expect(d.scores.find((x) => x.id === OA)).toMatchObject({ latencyMs: 3000, latencyFrom: 'live', live: { attempts: 21, successRate: 1, p50Ms: 3000, p95Ms: 3000 } });
    expect(d.reason).toMatch(/^performance: anthropic:claude-haiku-4-5 \(score [\d.]+, est \$[\d.]+, quality 0.78, live p50 60 ms, p95 60 ms, 100% ok of 29\)/);
    expect(d.reason).toContain(`live figures: ${AN}, ${GE}, ${OA}`);
  });

  it('balanced: between comparable deployments the fast one gets the traffic, and it moves when that one slows', () => {
    // Same price and quality: latency decides.
    const same = { price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: '2026-01-01' }, quality: 0.7 };
    const { r, s, clock } = setup(testRegistry({ openai: same, gemini: same, anthropic: { enabled: true } }));
    const routeBalanced = (): string => r.route(req, { strategy: 'balanced', constraints: { excludedProviders: ['anthropic'] } }).chain[0]!.id;
    expect(routeBalanced()).toBe(OA); // registry: 900 ms vs 1200 ms
    feed(s, clock, OA, 10, 30);
    feed(s, clock, GE, 10, 45);
    expect(routeBalanced()).toBe(OA);
    feed(s, clock, OA, 11, 400);
    expect(s.figures(OA).latencyMs?.p50).toBe(400);
    expect(routeBalanced()).toBe(GE);
  });

  it('balanced with the default weights: a much cheaper deployment keeps its traffic while slow but healthy, and loses it when it fails', () => {
    const { r, s, clock } = setup();
    const two = { strategy: 'balanced' as const, constraints: { excludedProviders: ['gemini'] } };
    feed(s, clock, AN, 10, 60);
    feed(s, clock, OA, 10, 3000);
    // 0.4 × cheap + 0.4 × quality + 0.2 × fast: 0.4 + 0.248 + 0 for OpenAI against 0 + 0.312 + 0.2.
    expect(r.route(req, two).chain[0]!.id).toBe(OA);
    feed(s, clock, OA, 10, 3000, false); // 10 of 20 fail: 50% < 80%
    const d = r.route(req, two);
    expect(d.chain.map((x) => x.id)).toEqual([AN, OA]);
    expect(d.scores.at(-1)).toMatchObject({ id: OA, unhealthy: 'success 50% < 80% over 20 attempts' });
    expect(d.reason).toContain(`ranked down: ${OA} (success 50% < 80% over 20 attempts)`);
  });

  it('needs minSamples attempts before live figures count; until then the registry\'s', () => {
    const { r, s, clock } = setup();
    feed(s, clock, OA, 4, 5000, false);
    const d = r.route(req, { strategy: 'performance' });
    expect(d.chain[0]!.id).toBe(OA);
    expect(d.scores[0]).toMatchObject({ id: OA, latencyMs: 900, latencyFrom: 'registry', live: { attempts: 4, successRate: 0 } });
    expect(d.scores[0]!.unhealthy).toBeUndefined();
    expect(d.reason).toContain(`registry figures (under 5 timed attempts): ${OA}, ${AN}, ${GE}`);
    expect(r.route(req, { strategy: 'performance', live: { minSamples: 4 } }).scores.at(-1)).toMatchObject({ id: OA, unhealthy: 'success 0% < 80% over 4 attempts' });
    expect(r.route(req, { strategy: 'performance', live: { enabled: false, minSamples: 4 } }).chain[0]!.id).toBe(OA);
  });

  it('a failed health check ranks a deployment down until a real attempt succeeds', () => {
    const { r, s, clock } = setup();
    s.recordProbe(OA, { ok: false, latencyMs: 5000, errorKind: 'timeout', at: clock.now() });
    expect(r.route(req, { strategy: 'performance' }).scores.at(-1)).toMatchObject({ id: OA, unhealthy: 'health check failed (timeout), no success since' });
    clock.advance(1);
    s.record(OA, { ok: true, latencyMs: 40, at: clock.now() });
    expect(r.route(req, { strategy: 'performance' }).chain[0]!.id).toBe(OA);
  });

  it('leaves cost, round_robin and pinned on the registry figures', () => {
    const { r, s, clock } = setup();
    const plain = new Router(testRegistry().models);
    feed(s, clock, OA, 10, 9000, false);
    for (const strategy of ['cost', 'pinned'] as const) {
      const opts = { strategy, pinned: GE };
      expect(r.route(req, opts)).toEqual(plain.route(req, opts));
    }
    expect(ids(r.route(req, { strategy: 'round_robin' }).chain)).toEqual(ids(plain.route(req, { strategy: 'round_robin' }).chain));
  });

  it('balanced: near-equal cost estimates (same price, prompts counted by different tokenizers) do not outweigh latency', () => {
    const same = { price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: '2026-01-01' }, quality: 0.7 };
    const { r, s, clock } = setup(testRegistry({ openai: same, gemini: same }));
    const two = { strategy: 'balanced' as const, constraints: { excludedProviders: ['anthropic'] } };
    feed(s, clock, OA, 10, 400);
    feed(s, clock, GE, 10, 100);
    // OpenAI's exact count is 10% lower than Gemini's estimate: 3% cheaper, not the whole 0.4 cost weight.
    const d = r.route({ ...req, inputTokensOf: (m) => (m.provider === 'openai' ? 450 : 500) }, two);
    expect(d.chain.map((x) => x.id)).toEqual([GE, OA]);
    const oa = d.scores.find((x) => x.id === OA)!;
    const ge = d.scores.find((x) => x.id === GE)!;
    expect(oa.estCostUsd).toBeLessThan(ge.estCostUsd);
    expect(ge.score - oa.score).toBeCloseTo(0.2 - 0.4 * (ge.estCostUsd / oa.estCostUsd - 1), 6); // latency weight − the cost share
    // Costs far apart still span the whole weight, as before: the default registry's balanced choice is unchanged.
    expect(new Router(testRegistry().models).route(req, { strategy: 'balanced' }).scores.map((x) => x.id)).toEqual([OA, GE, AN]);
  });

  it('prices and fits each model with its own prompt count when given one', () => {
    const r = new Router(testRegistry({ openai: { contextWindow: 2000 } }).models);
    const d = r.route({ ...req, inputTokens: 1500, inputTokensOf: (m) => (m.provider === 'openai' ? 1000 : 1500) }, { strategy: 'cost' });
    expect(d.chain[0]).toMatchObject({ id: OA, estCostUsd: (1000 * 0.15 + 600 * 0.6) / 1e6 });
    expect(r.route({ ...req, inputTokens: 1500 }, { strategy: 'cost' }).excluded).toEqual([{ id: OA, reason: 'context window 2000 too small' }]);
  });
});
