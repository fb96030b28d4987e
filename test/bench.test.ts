import { describe, expect, it } from 'vitest';
import { runActorsBench } from '../bench/actors.ts';
import { capacityOf } from '../bench/capacity.ts';
import { runNetBench } from '../bench/net.ts';
import { runSnapshotBench } from '../bench/snapshot.ts';

// Smoke-size runs keep the benchmarks working; their figures are not judged here.
describe('benchmarks (smoke)', () => {
  it('bench:actors reports every metric for each size, against both baselines, and the fair baseline fights like the runtime', async () => {
    const m = await runActorsBench({ smoke: true });
    for (const k of [
      'step_p50_ms', 'step_p99_ms', 'msgs_per_s', 'heap_bytes_per_actor', 'baseline_step_p50_ms', 'overhead_ratio', 'baseline_unfair_step_p50_ms', 'overhead_ratio_unfair',
      'overhead_ratio_cpu', 'overhead_ratio_cpu_unfair',
      'deaths_per_1k_ticks', 'baseline_deaths_per_1k_ticks',
    ]) {
      expect(Number.isFinite(m[`${k}@1000`]), k).toBe(true);
    }
    expect(m['msgs_per_s@1000']).toBeGreaterThan(0);
    // The baseline is timed doing the same game: monsters find foes, fight and die at about the runtime's rate.
    const runtime = m['deaths_per_1k_ticks@1000'] as number;
    const baseline = m['baseline_deaths_per_1k_ticks@1000'] as number;
    expect(runtime).toBeGreaterThan(0);
    expect(baseline).toBeGreaterThan(runtime / 2);
    expect(baseline).toBeLessThan(runtime * 2);
    // The help changes what the baseline costs, not the game it plays: both baselines fight alike.
    expect(Math.abs(baseline - (m['baseline_unfair_deaths_per_1k_ticks@1000'] as number))).toBeLessThanOrEqual(baseline * 0.05);
  });

  it('bench:net reports every metric for each client count, interest below full sync', async () => {
    const m = await runNetBench({ smoke: true });
    for (const k of [1, 4]) {
      for (const name of ['tick_p50_ms', 'tick_p99_ms', 'down_bytes_per_client_s', 'full_sync_bytes_per_client_s', 'interest_ratio', 'server_rss_mb']) {
        expect(Number.isFinite(m[`${name}@${k}`]), `${name}@${k}`).toBe(true);
      }
      expect(m[`interest_ratio@${k}`]).toBeLessThan(1);
      // The unsuffixed names are the spread layout's.
      expect(m[`tick_p99_ms@${k}`]).toBe(m[`tick_p99_ms_spread@${k}`]);
    }
    for (const layout of ['spread', 'gathered']) {
      for (const name of ['tick_p50_ms', 'tick_p99_ms', 'down_bytes_per_client_s', 'interest_ratio', 'player_centre_dist_tiles', 'player_spacing_tiles']) {
        expect(Number.isFinite(m[`${name}_${layout}@4`]), `${name}_${layout}@4`).toBe(true);
      }
    }
    // The layouts really differ: spread players stand far from the centre and from each other, gathered ones close.
    expect(m['player_centre_dist_tiles_spread@4']).toBeGreaterThan(22);
    expect(m['player_spacing_tiles_spread@4']).toBeGreaterThan(3 * (m['player_spacing_tiles_gathered@4'] as number));
    expect(m.view_sharing_measured === 0 || Number.isFinite(m['down_bytes_per_client_s_views_cell_gathered@4'])).toBe(true);
    for (const name of ['tick_p50_ms_tracing_off', 'tick_p50_ms_tracing_noop_api', 'tick_p50_ms_tracing_on', 'tracing_off_aa_ratio', 'tracing_on_over_off', 'tracing_off_ns_per_tick', 'tracing_off_share_of_tick']) {
      expect(Number.isFinite(m[name]), name).toBe(true);
    }
    expect(m.tracing_spans_per_tick_on).toBeGreaterThan(0); // the on blocks really traced
    for (const name of ['record_tick_mean_ms@4', 'record_off_tick_mean_ms@4', 'record_overhead_pct@4']) expect(Number.isFinite(m[name]), name).toBe(true);
  }, 300_000);

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

describe('bench:capacity reads the capacity off its ladder', () => {
  const ladder = (...oks: [number, boolean][]) => oks.map(([bots, ok]) => ({ bots, ok }));

  it('is the largest step with every smaller step held, however the steps were run', () => {
    expect(capacityOf(ladder([100, true], [200, true], [300, false], [400, false]))).toEqual({ capacity: 200, firstFail: 300 });
    // The midpoint step is run last; the order of the runs does not matter.
    expect(capacityOf(ladder([100, true], [300, false], [200, true], [250, true]))).toEqual({ capacity: 250, firstFail: 300 });
  });

  it('does not count a pass above a failing step', () => {
    expect(capacityOf(ladder([100, true], [200, false], [300, true], [400, true]))).toEqual({ capacity: 100, firstFail: 200 });
    expect(capacityOf(ladder([100, false], [200, true]))).toEqual({ capacity: 0, firstFail: 100 });
  });

  it('is the top of the ladder when nothing failed, and 0 for no steps', () => {
    expect(capacityOf(ladder([4, true], [8, true]))).toEqual({ capacity: 8, firstFail: undefined });
    expect(capacityOf([])).toEqual({ capacity: 0, firstFail: undefined });
  });
});
