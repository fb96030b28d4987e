import { describe, expect, it } from 'vitest';
import { runCapacityBench } from '../../bench/capacity.ts';

// A smoke-size run keeps bench:capacity working; its figures are not judged here.
describe('bench:capacity (smoke)', () => {
  it('reports the capacity and every figure at the reference bot count', async () => {
    const m = await runCapacityBench({ smoke: true });
    expect(m.max_bots_tick_p99_le_50ms).toBeGreaterThanOrEqual(0);
    for (const k of ['join_p99_ms', 'ping_p99_ms', 'down_bytes_per_bot_s', 'server_cpu_pct', 'server_rss_mb', 'tick_p99_ms']) {
      expect(Number.isFinite(m[`${k}@8`]), `${k}@8`).toBe(true);
    }
    expect(m['down_bytes_per_bot_s@8']).toBeGreaterThan(0);
  }, 180_000);
});
