import { runLoadtest } from './runLoadtest.ts';
import type { LoadtestReport } from './report.ts';
import { summaryText } from './report.ts';
import { startServerProcess } from './serverProcess.ts';

/** The server's tick p99 budget of the smoke run, in ms (the capacity target's figure). */
export const SMOKE_TICK_P99_BUDGET_MS = 50;

export interface SmokeOptions {
  readonly bots?: number;
  /** Seconds of ramp and of steady load (ramp + duration stay within 60 s). */
  readonly ramp?: number;
  readonly duration?: number;
  readonly budgetMs?: number;
  /** Extra server settings (e.g. DEBUG_SLOW_TICK_MS to prove the budget check). */
  readonly serverEnv?: Record<string, string>;
  /** Report path prefix (`<out>.json`, `<out>.html`). */
  readonly out?: string;
  readonly progress?: boolean;
}

/**
 * The CI load test: start a server process, run a short mixed load against it (at most 60 s of load), and
 * fail when any bot reports an error or the server's tick p99 is over budget.
 */
export async function runSmoke(o: SmokeOptions = {}): Promise<LoadtestReport> {
  const ramp = o.ramp ?? 5;
  const duration = o.duration ?? 15;
  if (ramp + duration > 60) throw new Error(`smoke: ramp + duration must be at most 60 s, got ${ramp + duration}`);
  const server = await startServerProcess({ SEED: 'smoke', WORLD_SIZE: '384', MAX_CLIENTS: '500', MATCHMAKE_LOOPBACK: 'exempt', ...o.serverEnv });
  try {
    return await runLoadtest({
      url: server.url,
      bots: o.bots ?? 24,
      ramp,
      duration,
      workers: 2,
      mix: 'fighter:40,wanderer:30,talker:20,idler:10',
      seed: 'smoke',
      tickP99Budget: o.budgetMs ?? SMOKE_TICK_P99_BUDGET_MS,
      maxErrors: 0,
      progress: o.progress ?? true,
      ...(o.out && { out: o.out }),
    });
  } finally {
    await server.stop();
  }
}

// `npm run loadtest:smoke`: exit code 1 when the run fails its checks.
if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await runSmoke({ out: process.env.LOADTEST_OUT ?? 'loadtest-results/smoke' });
  console.log(summaryText(report));
  console.log('reports: loadtest-results/smoke.json, loadtest-results/smoke.html');
  process.exit(report.ok ? 0 : 1);
}
