import { runLoadtest, startServerProcess } from '../tools/loadtest/index.ts';
import type { LoadtestReport } from '../tools/loadtest/index.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './stats.ts';

/** Each step's full load-test report goes here (`capacity-<bots>.json` / `.html`). */
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** The capacity criterion: the server's tick p99 at or below this, in ms. */
const TICK_P99_LIMIT_MS = 50;

interface Plan {
  /** Report file prefix. */
  readonly name: string;
  readonly world: Record<string, string>;
  readonly ladder: readonly number[];
  /** The bot count whose figures are reported by name (`join_p99_ms@500` …). */
  readonly reference: number;
  readonly joinsPerSecond: number;
  readonly minRampS: number;
  readonly holdS: number;
}

const FULL: Plan = {
  name: 'capacity',
  // ~5,044 monsters (procgen's packs in a 1024×1024 region at 4.2× density); the built-in minds are on.
  world: { SEED: 'capacity', WORLD_SIZE: '1024', MONSTER_DENSITY: '4.2', MAX_CLIENTS: '2000' },
  ladder: [100, 200, 300, 400, 500, 750, 1000, 1500, 2000],
  reference: 500,
  joinsPerSecond: 25,
  minRampS: 10,
  holdS: 30,
};

const SMOKE: Plan = {
  name: 'capacity.smoke',
  world: { SEED: 'capacity', WORLD_SIZE: '256', MONSTER_DENSITY: '2', MAX_CLIENTS: '100' },
  ladder: [4, 8],
  reference: 8,
  joinsPerSecond: 10,
  minRampS: 1,
  holdS: 4,
};

/** One step: a fresh server process, N bots of the standard mix over 2 workers, the steady-phase figures. */
async function step(plan: Plan, bots: number): Promise<LoadtestReport> {
  const cpus = process.env.CAPACITY_SERVER_CPUS;
  const server = await startServerProcess({ ...plan.world, MATCHMAKE_LOOPBACK: 'exempt' }, cpus ? { cpus } : {});
  try {
    return await runLoadtest({
      url: server.url, bots, workers: 2, mix: 'fighter:50,wanderer:40,talker:10', seed: 'capacity',
      ramp: Math.max(plan.minRampS, bots / plan.joinsPerSecond), duration: plan.holdS, progress: false,
      out: join(RESULTS, `${plan.name}-${bots}`),
    });
  } finally {
    await server.stop();
  }
}

const passes = (r: LoadtestReport): boolean =>
  r.summary.server.tickP99Ms <= TICK_P99_LIMIT_MS && r.summary.bots.failed === 0 && r.summary.bots.connectedAtEnd === r.summary.bots.requested;

/** One step of the ladder: its bot count and whether it held the tick budget (and kept every bot). */
export interface CapacityStep {
  readonly bots: number;
  readonly ok: boolean;
}

/**
 * The capacity a ladder shows: the largest bot count such that it and every smaller step held (0 when the smallest
 * failed), and the smallest step that failed (undefined when none did). A pass above a failing step does not
 * count: the process did not hold every load up to it, so a capacity read from it would not be one.
 */
export function capacityOf(steps: readonly CapacityStep[]): { capacity: number; firstFail: number | undefined } {
  const sorted = [...steps].sort((a, b) => a.bots - b.bots);
  let capacity = 0;
  for (const s of sorted) {
    if (!s.ok) return { capacity, firstFail: s.bots };
    capacity = s.bots;
  }
  return { capacity, firstFail: undefined };
}

/**
 * `npm run bench:capacity`: the most bots one server process holds with its tick p99 ≤ 50 ms in a 5,000-monster
 * world with minds active. Climbs a ladder of bot counts (fresh server each step, ascending), stops after the first
 * step past the reference count that fails, then tries the midpoint of the capacity so far and the first fail. The
 * capacity is the largest step such that it and every smaller step held ({@link capacityOf}). The ladder can be
 * overridden with CAPACITY_LADDER=250,500,…; CAPACITY_SERVER_CPUS=0 pins the server to CPU 0 (run the bench itself
 * under `taskset -c 1` so the bots, whose workers inherit its affinity, keep off the server's core).
 */
export async function runCapacityBench({ smoke }: { smoke: boolean }): Promise<Record<string, number>> {
  const base = smoke ? SMOKE : FULL;
  const ladder = (process.env.CAPACITY_LADDER ? process.env.CAPACITY_LADDER.split(',').map(Number).filter((n) => n > 0) : [...base.ladder]).sort((a, b) => a - b);
  const plan: Plan = { ...base, ladder };
  const metrics: Record<string, number> = {};
  const rows: (Record<string, unknown> & { bots: number })[] = [];
  const steps: CapacityStep[] = [];
  const record = (n: number, r: LoadtestReport): void => {
    const s = r.summary;
    metrics[`tick_p50_ms@${n}`] = round(s.server.tickP50Ms, 2);
    metrics[`tick_p99_ms@${n}`] = round(s.server.tickP99Ms, 2);
    metrics[`join_p99_ms@${n}`] = round(s.joinMs.p99, 1);
    metrics[`ping_p99_ms@${n}`] = round(s.pingMs.p99, 1);
    metrics[`down_bytes_per_bot_s@${n}`] = Math.round(s.downBytesPerBotS);
    metrics[`server_cpu_pct@${n}`] = round(s.server.cpuPctMean, 1);
    metrics[`server_rss_mb@${n}`] = round(s.server.rssMbMax, 1);
    metrics[`generator_cpu_pct@${n}`] = round(s.generatorCpuPctMax, 1);
    metrics[`failed_bots@${n}`] = s.bots.failed;
    const ok = passes(r);
    steps.push({ bots: n, ok });
    rows.push({
      bots: n, ok, 'tick p50 ms': metrics[`tick_p50_ms@${n}`], 'tick p99 ms': metrics[`tick_p99_ms@${n}`], 'join p99 ms': metrics[`join_p99_ms@${n}`],
      'ping p99 ms': metrics[`ping_p99_ms@${n}`], 'down B/bot/s': metrics[`down_bytes_per_bot_s@${n}`], 'server CPU %': metrics[`server_cpu_pct@${n}`],
      'RSS MB': metrics[`server_rss_mb@${n}`], 'generator CPU %': metrics[`generator_cpu_pct@${n}`], failed: s.bots.failed, errors: s.errors,
    });
    console.error(`capacity: ${n} bots → tick p99 ${metrics[`tick_p99_ms@${n}`]} ms, ${ok ? 'within' : 'over'} the limit`);
  };
  for (const n of plan.ladder) {
    record(n, await step(plan, n));
    if (steps.some((s) => !s.ok) && n >= plan.reference) break;
  }
  const before = capacityOf(steps);
  if (!smoke && before.firstFail !== undefined) {
    const mid = Math.round((before.capacity + before.firstFail) / 2 / 50) * 50;
    if (mid > before.capacity && mid < before.firstFail) record(mid, await step(plan, mid));
  }
  const { capacity, firstFail } = capacityOf(steps);
  metrics.max_bots_tick_p99_le_50ms = capacity;
  if (firstFail !== undefined) metrics.first_failing_bots = firstFail;
  rows.sort((a, b) => a.bots - b.bots);
  console.table(rows.map((r) => ({ ...r, '': r.bots === firstFail ? '◀ first fail' : r.bots === capacity ? '◀ capacity' : '' })));
  const held = `tick p99 <= ${TICK_P99_LIMIT_MS} ms with every bot connected`;
  if (firstFail === undefined) console.log(`capacity: at least ${capacity} bots: every step of the ladder held ${held}`);
  else if (capacity === 0) console.log(`capacity: none measured: the smallest step, ${firstFail} bots, already failed (${held})`);
  else console.log(`capacity: ${capacity} bots: it and every smaller step held ${held}; first failing step: ${firstFail} bots`);
  return metrics;
}
