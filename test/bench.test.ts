import { describe, expect, it } from 'vitest';
import { runActorsBench } from '../bench/actors.ts';
import { runNetBench } from '../bench/net.ts';
import { runSnapshotBench } from '../bench/snapshot.ts';

// Smoke-size runs keep the benchmarks working; their figures are not judged here.
describe('benchmarks (smoke)', () => {
  it('bench:actors reports every metric for each size', async () => {
    const m = await runActorsBench({ smoke: true });
    for (const k of ['step_p50_ms', 'step_p99_ms', 'msgs_per_s', 'heap_bytes_per_actor', 'baseline_step_p50_ms', 'overhead_ratio']) {
      expect(Number.isFinite(m[`${k}@1000`]), k).toBe(true);
    }
    expect(m['msgs_per_s@1000']).toBeGreaterThan(0);
  });

  it('bench:net reports every metric for each client count, interest below full sync', async () => {
    const m = await runNetBench({ smoke: true });
    for (const k of [1, 4]) {
      for (const name of ['tick_p50_ms', 'tick_p99_ms', 'down_bytes_per_client_s', 'full_sync_bytes_per_client_s', 'interest_ratio', 'server_rss_mb']) {
        expect(Number.isFinite(m[`${name}@${k}`]), `${name}@${k}`).toBe(true);
      }
      expect(m[`interest_ratio@${k}`]).toBeLessThan(1);
    }
    for (const name of ['tick_p50_ms_tracing_off', 'tick_p50_ms_tracing_noop_api', 'tick_p50_ms_tracing_on', 'tracing_off_aa_ratio', 'tracing_on_over_off', 'tracing_off_ns_per_tick', 'tracing_off_share_of_tick']) {
      expect(Number.isFinite(m[name]), name).toBe(true);
    }
    expect(m.tracing_spans_per_tick_on).toBeGreaterThan(0); // the on blocks really traced
    for (const name of ['record_tick_mean_ms@4', 'record_off_tick_mean_ms@4', 'record_overhead_pct@4']) expect(Number.isFinite(m[name]), name).toBe(true);
  }, 240_000);

  it('bench:snapshot reports capture, encode, restore and size, and its restores matched the original', async () => {
    const m = await runSnapshotBench({ smoke: true });
    for (const k of [
      'capture_ms', 'capture_ms_max', 'encode_ms', 'encode_slice_max_ms', 'restore_ms', 'bytes', 'bytes_per_actor', 'json_encode_ms', 'json_restore_ms',
      'json_bytes', 'size_ratio_json', 'encode_speedup_vs_json', 'restore_speedup_vs_json', 'bytes_per_actor_brotli1', 'part_bytes_per_actor_actor_states', 'stored_bytes_per_actor',
    ]) {
      expect(Number.isFinite(m[`${k}_1000`]), k).toBe(true);
    }
    expect(m.hash_ok_1000).toBe(1); // the bench throws before reporting if a restored world's state hash differs
    expect(m.actors_1000).toBe(1001); // the monsters and the coordinator
    expect(m.bytes_1000).toBeGreaterThan(1000 * 50);
    expect(m.encode_slices_1000).toBeGreaterThan(1);
  }, 120_000);
});
