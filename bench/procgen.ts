// Benchmark of layer 1 and path finding: chunk generation, A* routes, flow fields.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { buildFlowField, findPath } from '../actors/pathing/index.ts';
import { createWorldGen } from '../procgen/index.ts';
import type { WorldGen } from '../procgen/index.ts';
import { Rng } from '../shared/index.ts';
import { baselineMs, quantile, round } from './stats.ts';



/** Walkable pairs about `dist` tiles apart (Chebyshev) that A* can join. */
function routes(w: WorldGen, rng: Rng, dist: number, n: number): { from: { x: number; y: number }; to: { x: number; y: number } }[] {
  const out = [];
  for (let tries = 0; out.length < n && tries < n * 50; tries++) {
    const from = { x: rng.int(-1500, 1500), y: rng.int(-1500, 1500) };
    const a = rng.float(0, Math.PI * 2);
    const to = { x: Math.round(from.x + Math.cos(a) * dist), y: Math.round(from.y + Math.sin(a) * dist) };
    if (!w.isWalkable(from.x, from.y) || !w.isWalkable(to.x, to.y)) continue;
    if (findPath(w, from, to, { maxNodes: 200_000 }).status === 'found') out.push({ from, to });
  }
  return out;
}

/** Run the procgen benchmark; returns flat metrics (ms) and prints a table. */
export async function runProcgenBench(): Promise<Record<string, number>> {
  const base = quantile([baselineMs(), baselineMs(), baselineMs()], 0.5);
  const world = createWorldGen({ seed: 'bench', cache: { maxChunks: 100_000 } });
  // Warm-up far from the measured area: a square of chunks, so that the code of lairs and dungeons is compiled
  // too (a row of 60 left it to the measured chunks, and their compile and deoptimisation showed as 3-6 ms chunks).
  for (let i = 0; i < 225; i++) world.chunk(-200 + (i % 15), 77 + Math.floor(i / 15));
  const chunkMs: number[] = [];
  const collections = { minor: 0, major: 0 };
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) collections.major++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) collections.minor++;
    }
  });
  gcs.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < 400; i++) {
    const t = performance.now();
    world.chunk((i % 20) - 10, Math.floor(i / 20) - 10);
    chunkMs.push(performance.now() - t);
  }
  await new Promise((resolve) => setTimeout(resolve, 10)); // gc entries arrive on a later turn
  gcs.disconnect();
  // Every per-tile layer a cached chunk keeps: its typed arrays.
  const chunkBytes = Object.values(world.chunk(0, 0)).reduce((n: number, v) => n + (ArrayBuffer.isView(v) ? v.byteLength : 0), 0);

  const rng = Rng.create('bench-routes');
  const timePaths = (rs: ReturnType<typeof routes>, reps: number, heuristicWeight = 1): { ms: number[]; tiles: number } => {
    const ms: number[] = [];
    let tiles = 0;
    for (let k = 0; k < reps; k++) for (const r of rs) {
      const t = performance.now();
      const res = findPath(world, r.from, r.to, { maxNodes: 200_000, heuristicWeight });
      ms.push(performance.now() - t);
      tiles += res.path.length;
    }
    return { ms, tiles: tiles / ms.length };
  };
  const r100 = routes(world, rng, 100, 30);
  const r256 = routes(world, rng, 256, 20);
  timePaths(r100, 1); // warm-up and chunk generation outside the timing
  const a100 = timePaths(r100, 3);
  const a256 = timePaths(r256, 1);
  const a256t = timePaths(r256, 2);
  const a100w = timePaths(r100, 3, 1.5);

  const flowMs: number[] = [];
  const targets = r100.slice(0, 20).map((r) => r.to);
  for (const t of targets) buildFlowField(world, t, { x0: t.x - 64, y0: t.y - 64, w: 128, h: 128 });
  for (let k = 0; k < 2; k++) for (const t of targets) {
    const s = performance.now();
    buildFlowField(world, t, { x0: t.x - 64, y0: t.y - 64, w: 128, h: 128 });
    flowMs.push(performance.now() - s);
  }

  const m: Record<string, number> = {
    chunk_p50_ms: round(quantile(chunkMs, 0.5)),
    chunk_p99_ms: round(quantile(chunkMs, 0.99)),
    chunk_layer_bytes: chunkBytes,
    chunk_minor_gcs: collections.minor,
    chunk_major_gcs: collections.major,
    astar_p50_ms: round(quantile(a100.ms, 0.5)),
    astar_path_tiles: round(a100.tiles),
    astar_weighted15_p50_ms: round(quantile(a100w.ms, 0.5)),
    astar256_p50_ms: round(quantile(a256t.ms, 0.5)),
    astar256_path_tiles: round(a256.tiles),
    flowfield_p50_ms: round(quantile(flowMs, 0.5)),
    baseline_ms: round(base),
  };
  m['chunk_p50_ratio'] = round(m['chunk_p50_ms']! / base);
  m['astar_p50_ratio'] = round(m['astar_p50_ms']! / base);
  m['flowfield_p50_ratio'] = round(m['flowfield_p50_ms']! / base);
  console.table(Object.entries(m).map(([metric, value]) => ({ metric, value })));
  return m;
}
