import { describe, expect, it } from 'vitest';
import { runLlmBench } from '../../bench/llm.ts';

// A smoke-size run keeps the benchmark working; its figures are not judged here.
describe('bench:llm (smoke)', () => {
  it('reports every metric the issue names', async () => {
    const m = await runLlmBench({ smoke: true });
    for (const k of ['overhead_p50_ms', 'overhead_p99_ms', 'cache_hit_p50_ms', 'calls_per_s_c100']) expect(Number.isFinite(m[k]), k).toBe(true);
    expect(m.calls_per_s_c100).toBeGreaterThan(0);
  });
});
