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
    expect(m.intent_natural_accuracy).toBeGreaterThanOrEqual(0.92); // the independent set of natural lines, never trained on
    for (const k of [
      'reply_first_chunk_ms_p50', 'reply_first_chunk_ms_p95', 'reply_first_chunk_ms_max', 'reply_first_chunk_from_send_ms_p50', 'reply_first_chunk_from_send_ms_p95', 'reply_replaced',
      'tick_p99_ms_talking@100', 'tick_p99_ms_silent@100', 'tick_p99_talking_over_silent@100',
    ]) expect(Number.isFinite(m[k]), k).toBe(true);
    expect(m.reply_first_chunk_samples).toBeGreaterThan(0); // talks were answered by streams
    expect(m['talk_replies_streamed@100']).toBeGreaterThan(0); // the talking windows went through the cloud path
  }, 120_000);
});
