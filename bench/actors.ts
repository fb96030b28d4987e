import { defaultRegistry, demoSpawns, FlatTerrain, Simulation } from '../actors/index.ts';
import { runBaseline } from './actorsBaseline.ts';
import { gc, quantile, round } from './stats.ts';

/** World side length that keeps density constant (one monster per 64 tiles). */
export function sideFor(n: number): number {
  return Math.ceil(Math.sqrt(n * 64));
}

function measureActors(n: number, warmup: number, ticks: number): { p50: number; p99: number; msgsPerS: number; heapPerActor: number } {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const side = sideFor(n);
  const sim = new Simulation({ seed: 'bench', registry: defaultRegistry(), terrain: new FlatTerrain(side, side), record: false });
  for (const input of demoSpawns({ seed: 'bench', count: n, width: side, height: side })) sim.input(input);
  sim.run(warmup);
  gc();
  const heapPerActor = (process.memoryUsage().heapUsed - heap0) / n;
  const times: number[] = [];
  const delivered0 = sim.world.stats.delivered;
  let total = 0;
  for (let i = 0; i < ticks; i++) {
    const t0 = performance.now();
    sim.step();
    const t = performance.now() - t0;
    times.push(t);
    total += t;
  }
  const msgsPerS = (sim.world.stats.delivered - delivered0) / (total / 1000);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), msgsPerS, heapPerActor };
}

/** `npm run bench:actors`: the actor runtime against a hand-written plain-array loop of the same behaviours. */
export async function runActorsBench({ smoke }: { smoke: boolean }): Promise<Record<string, number>> {
  const sizes = smoke ? [1000] : [1000, 10_000, 50_000];
  const warmup = smoke ? 20 : 100;
  const ticks = smoke ? 50 : 300;
  const metrics: Record<string, number> = {};
  const rows: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const a = measureActors(n, warmup, ticks);
    const b = runBaseline(n, sideFor(n), warmup, ticks);
    const ratio = a.p50 / b.p50;
    metrics[`step_p50_ms@${n}`] = round(a.p50);
    metrics[`step_p99_ms@${n}`] = round(a.p99);
    metrics[`msgs_per_s@${n}`] = Math.round(a.msgsPerS);
    metrics[`heap_bytes_per_actor@${n}`] = Math.round(a.heapPerActor);
    metrics[`baseline_step_p50_ms@${n}`] = round(b.p50);
    metrics[`overhead_ratio@${n}`] = round(ratio, 2);
    rows.push({ N: n, 'step p50 ms': round(a.p50), 'step p99 ms': round(a.p99), 'msgs/s': Math.round(a.msgsPerS), 'heap B/actor': Math.round(a.heapPerActor), 'baseline p50 ms': round(b.p50), 'overhead ×': round(ratio, 2) });
  }
  console.table(rows);
  console.log('targets: step_p99_ms@10000 <= 10, overhead_ratio@10000 <= 2, heap_bytes_per_actor@10000 <= 2048');
  return metrics;
}
