import { describe, expect, it } from 'vitest';
import { Router } from '../../llm/index.ts';
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
