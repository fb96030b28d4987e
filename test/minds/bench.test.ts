import { describe, expect, it } from 'vitest';
import { runMindsBench } from '../../bench/minds.ts';

// A smoke-size run keeps the benchmark working; its figures are not judged here.
describe('bench:minds (smoke)', () => {
  it('reports every metric the issue names', async () => {
    const m = await runMindsBench({ smoke: true });
    for (const a of [100, 1000, 5000]) {
      for (const k of ['mind_tick_ms', 'decisions_per_s', 'raw_ort_decisions_per_s', 'service_vs_raw']) expect(Number.isFinite(m[`${k}@${a}`]), `${k}@${a}`).toBe(true);
    }
    for (const k of ['mind_tick_ms_fresh@1000', 'service_vs_raw_fresh@1000']) expect(Number.isFinite(m[k]), k).toBe(true);
    for (const k of ['intent_p50_ms', 'intent_batch512_ms', 'reply_p50_ms', 'intent_heldout_accuracy', 'intent_dev_accuracy']) expect(Number.isFinite(m[k]), k).toBe(true);
    expect(m.intent_heldout_accuracy).toBeGreaterThanOrEqual(0.9);
    expect(m.intent_dev_accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
