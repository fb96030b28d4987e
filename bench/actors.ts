// bench:actors: the actor runtime stepping N monsters of the demo spawns (two rival factions, reflexes only) against
// a hand-written loop of the same behaviours (bench/actorsBaseline.ts). That baseline shares the runtime's
// algorithmic help: the same 8-unit counting-sort grid rebuilt once per tick, the skip of cells holding only the
// searcher's own faction, rejection by distance first, `Math.sqrt` for directions, no per-tick allocation, headings
// updated on moves. So `overhead_ratio` (runtime p50 ÷ baseline p50) is what actors, mailboxes, messages, effects
// and state objects cost, nothing else. `overhead_ratio_unfair` is the same ratio against the first baseline
// (bench/actorsBaselineUnfair.ts), which had none of that help and overstated the overhead; it is kept to show
// the difference. The three are stepped in turns of a few ticks each, so that load from elsewhere on the machine
// falls on all of them alike; on a busy machine a longer step is more often preempted, which inflates wall-clock
// p50s unevenly, so the ratio of CPU time per step (`overhead_ratio_cpu`) is reported too. Deaths per 1,000 ticks show that each side did the fighting it was timed for.
import { defaultRegistry, demoSpawns, FlatTerrain, Simulation } from '../actors/index.ts';
import { createBaseline } from './actorsBaseline.ts';
import { createUnfairBaseline } from './actorsBaselineUnfair.ts';
import { gc, quantile, round } from './stats.ts';

/** World side length that keeps density constant (one monster per 64 tiles). */
export function sideFor(n: number): number {
  return Math.ceil(Math.sqrt(n * 64));
}

/** Ticks each side runs in turn: the three take turns, so a change in the machine's load falls on all of them. */
const BLOCK = 10;

/** One side's figures: wall-clock step p50, CPU ms per step, deaths in the measured steps. */
interface Side {
  p50: number;
  cpuPerTick: number;
  deaths: number;
}

interface Measured {
  runtime: Side & { p99: number; msgsPerS: number; heapPerActor: number };
  fair: Side;
  unfair: Side;
}

/** Wall-clock times of one side's steps, and the process's CPU time (user + system) spent in them, ms. */
interface Timing {
  times: number[];
  wall: number;
  cpu: number;
}

/** Run `ticks` steps of `step`, adding each one's wall-clock time and the block's CPU time to `t`. */
function timed(ticks: number, step: () => void, t: Timing): void {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < ticks; i++) {
    const t0 = performance.now();
    step();
    const dt = performance.now() - t0;
    t.times.push(dt);
    t.wall += dt;
  }
  const cpu = process.cpuUsage(cpu0);
  t.cpu += (cpu.user + cpu.system) / 1000;
}

/** The runtime and both baselines over the same N, warmed up, then stepped in turns of {@link BLOCK} ticks. */
function measure(n: number, warmup: number, ticks: number): Measured {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const side = sideFor(n);
  const sim = new Simulation({ seed: 'bench', registry: defaultRegistry(), terrain: new FlatTerrain(side, side), record: false });
  for (const input of demoSpawns({ seed: 'bench', count: n, width: side, height: side })) sim.input(input);
  sim.run(warmup);
  gc();
  const heapPerActor = (process.memoryUsage().heapUsed - heap0) / n;
  const fair = createBaseline(n, side);
  const unfair = createUnfairBaseline(n, side);
  for (let i = 0; i < warmup; i++) {
    fair.tick();
    unfair.tick();
  }
  const timing = (): Timing => ({ times: [], wall: 0, cpu: 0 });
  const rt = timing(), ft = timing(), ut = timing();
  const delivered0 = sim.world.stats.delivered;
  const deaths0 = sim.world.stats.deaths;
  const fairDeaths0 = fair.deaths(), unfairDeaths0 = unfair.deaths();
  const step = (): void => {
    sim.step();
  };
  for (let done = 0; done < ticks; done += BLOCK) {
    const k = Math.min(BLOCK, ticks - done);
    timed(k, step, rt);
    timed(k, fair.tick, ft);
    timed(k, unfair.tick, ut);
  }
  const summary = (t: Timing, deaths: number): Side => ({ p50: quantile(t.times, 0.5), cpuPerTick: t.cpu / ticks, deaths });
  return {
    runtime: {
      ...summary(rt, sim.world.stats.deaths - deaths0), p99: quantile(rt.times, 0.99), msgsPerS: (sim.world.stats.delivered - delivered0) / (rt.wall / 1000), heapPerActor,
    },
    fair: summary(ft, fair.deaths() - fairDeaths0),
    unfair: summary(ut, unfair.deaths() - unfairDeaths0),
  };
}

/** `npm run bench:actors`: the actor runtime against hand-written plain-array loops of the same behaviours (the fair baseline and the first one). */
export async function runActorsBench({ smoke }: { smoke: boolean }): Promise<Record<string, number>> {
  const sizes = smoke ? [1000] : [1000, 10_000, 50_000];
  const warmup = smoke ? 20 : 100;
  const ticks = smoke ? 50 : 300;
  const metrics: Record<string, number> = {};
  const rows: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const { runtime: a, fair: b, unfair: u } = measure(n, warmup, ticks);
    const ratio = a.p50 / b.p50;
    const unfairRatio = a.p50 / u.p50;
    const cpuRatio = a.cpuPerTick / b.cpuPerTick;
    const perKiloTick = (deaths: number): number => round((deaths / ticks) * 1000, 1);
    metrics[`step_p50_ms@${n}`] = round(a.p50);
    metrics[`step_p99_ms@${n}`] = round(a.p99);
    metrics[`msgs_per_s@${n}`] = Math.round(a.msgsPerS);
    metrics[`heap_bytes_per_actor@${n}`] = Math.round(a.heapPerActor);
    metrics[`baseline_step_p50_ms@${n}`] = round(b.p50);
    metrics[`overhead_ratio@${n}`] = round(ratio, 2);
    metrics[`baseline_unfair_step_p50_ms@${n}`] = round(u.p50);
    metrics[`overhead_ratio_unfair@${n}`] = round(unfairRatio, 2);
    metrics[`overhead_ratio_cpu@${n}`] = round(cpuRatio, 2);
    metrics[`overhead_ratio_cpu_unfair@${n}`] = round(a.cpuPerTick / u.cpuPerTick, 2);
    metrics[`deaths_per_1k_ticks@${n}`] = perKiloTick(a.deaths);
    metrics[`baseline_deaths_per_1k_ticks@${n}`] = perKiloTick(b.deaths);
    metrics[`baseline_unfair_deaths_per_1k_ticks@${n}`] = perKiloTick(u.deaths);
    rows.push({
      N: n, 'step p50 ms': round(a.p50), 'step p99 ms': round(a.p99), 'msgs/s': Math.round(a.msgsPerS), 'heap B/actor': Math.round(a.heapPerActor),
      'baseline p50 ms': round(b.p50), 'overhead ×': round(ratio, 2), 'unfair baseline p50 ms': round(u.p50), 'overhead × (unfair)': round(unfairRatio, 2),
      'overhead × CPU': metrics[`overhead_ratio_cpu@${n}`], 'overhead × CPU (unfair)': metrics[`overhead_ratio_cpu_unfair@${n}`],
      'deaths/1k ticks': metrics[`deaths_per_1k_ticks@${n}`], 'baseline deaths/1k ticks': metrics[`baseline_deaths_per_1k_ticks@${n}`],
    });
  }
  console.table(rows);
  console.log('overhead ×: step p50 against the baseline with the runtime\'s algorithmic help; (unfair): against the first baseline, without it;');
  console.log('overhead × CPU: the same from CPU time per step (GC threads included), which other processes\' load does not inflate');
  console.log('targets: step_p99_ms@10000 <= 10, overhead_ratio@10000 <= 2, heap_bytes_per_actor@10000 <= 2048');
  return metrics;
}
