import { describe, expect, it } from 'vitest';
import { runActorsBench } from '../bench/actors.ts';

// A smoke-size run keeps the benchmark working; its figures are not judged here.
describe('bench:actors (smoke)', () => {
  it('reports every metric the issue names for each size', async () => {
    const m = await runActorsBench({ smoke: true });
    for (const k of ['step_p50_ms', 'step_p99_ms', 'msgs_per_s', 'heap_bytes_per_actor', 'baseline_step_p50_ms', 'overhead_ratio']) {
      expect(Number.isFinite(m[`${k}@1000`]), k).toBe(true);
    }
    expect(m['msgs_per_s@1000']).toBeGreaterThan(0);
  });
});
