// bench:actors: the actor runtime stepping N monsters of the demo spawns (two rival factions, reflexes only) against
// a hand-written loop of the same behaviours (bench/actorsBaseline.ts). That baseline shares the runtime's
// algorithmic help: the same 8-unit counting-sort grid rebuilt once per tick, the skip of cells holding only the
// searcher's own faction, rejection by distance first, `Math.sqrt` for directions, no per-tick allocation, headings
// updated on moves. So `overhead_ratio` (runtime p50 ÷ baseline p50) is what actors, mailboxes, messages, effects
// and state objects cost, nothing else. `overhead_ratio_unfair` is the same ratio against the first baseline
// (bench/actorsBaselineUnfair.ts), which had none of that help and overstated the overhead; it is kept to show
// the difference. Deaths per 1,000 ticks show that each side did the fighting it was timed for.
import { defaultRegistry, demoSpawns, FlatTerrain, Simulation } from '../actors/index.ts';
import { runBaseline } from './actorsBaseline.ts';
import { runUnfairBaseline } from './actorsBaselineUnfair.ts';
import { gc, quantile, round } from './stats.ts';

/** World side length that keeps density constant (one monster per 64 tiles). */
export function sideFor(n: number): number {
  return Math.ceil(Math.sqrt(n * 64));
}

function measureActors(n: number, warmup: number, ticks: number): { p50: number; p99: number; msgsPerS: number; heapPerActor: number; deaths: number } {
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
  const deaths0 = sim.world.stats.deaths;
  let total = 0;
  for (let i = 0; i < ticks; i++) {
    const t0 = performance.now();
    sim.step();
    const t = performance.now() - t0;
    times.push(t);
    total += t;
  }
  const msgsPerS = (sim.world.stats.delivered - delivered0) / (total / 1000);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), msgsPerS, heapPerActor, deaths: sim.world.stats.deaths - deaths0 };
}

/** `npm run bench:actors`: the actor runtime against hand-written plain-array loops of the same behaviours (the fair baseline and the first one). */
export async function runActorsBench({ smoke }: { smoke: boolean }): Promise<Record<string, number>> {
  const sizes = smoke ? [1000] : [1000, 10_000, 50_000];
  const warmup = smoke ? 20 : 100;
  const ticks = smoke ? 50 : 300;
  const metrics: Record<string, number> = {};
  const rows: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const a = measureActors(n, warmup, ticks);
    const b = runBaseline(n, sideFor(n), warmup, ticks);
    const u = runUnfairBaseline(n, sideFor(n), warmup, ticks);
    const ratio = a.p50 / b.p50;
    const unfairRatio = a.p50 / u.p50;
    const perKiloTick = (deaths: number): number => round((deaths / ticks) * 1000, 1);
    metrics[`step_p50_ms@${n}`] = round(a.p50);
    metrics[`step_p99_ms@${n}`] = round(a.p99);
    metrics[`msgs_per_s@${n}`] = Math.round(a.msgsPerS);
    metrics[`heap_bytes_per_actor@${n}`] = Math.round(a.heapPerActor);
    metrics[`baseline_step_p50_ms@${n}`] = round(b.p50);
    metrics[`overhead_ratio@${n}`] = round(ratio, 2);
    metrics[`baseline_unfair_step_p50_ms@${n}`] = round(u.p50);
    metrics[`overhead_ratio_unfair@${n}`] = round(unfairRatio, 2);
    metrics[`deaths_per_1k_ticks@${n}`] = perKiloTick(a.deaths);
    metrics[`baseline_deaths_per_1k_ticks@${n}`] = perKiloTick(b.deaths);
    rows.push({
      N: n, 'step p50 ms': round(a.p50), 'step p99 ms': round(a.p99), 'msgs/s': Math.round(a.msgsPerS), 'heap B/actor': Math.round(a.heapPerActor),
      'baseline p50 ms': round(b.p50), 'overhead ×': round(ratio, 2), 'unfair baseline p50 ms': round(u.p50), 'overhead × (unfair)': round(unfairRatio, 2),
      'deaths/1k ticks': metrics[`deaths_per_1k_ticks@${n}`], 'baseline deaths/1k ticks': metrics[`baseline_deaths_per_1k_ticks@${n}`],
    });
  }
  console.table(rows);
  console.log('overhead ×: against the baseline with the runtime\'s algorithmic help; (unfair): against the first baseline, without it');
  console.log('targets: step_p99_ms@10000 <= 10, overhead_ratio@10000 <= 2, heap_bytes_per_actor@10000 <= 2048');
  return metrics;
}
