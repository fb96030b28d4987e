import type { Command } from 'commander';
import { MAX_BOTS, MAX_DURATION_S, MAX_RAMP_S, MAX_WORKERS, runLoadtest, summaryText } from '../loadtest/index.ts';

interface LoadtestFlags {
  url: string;
  room: string;
  bots: string;
  ramp: string;
  duration: string;
  mix: string;
  workers: string;
  seed: string;
  pingEvery: string;
  sampleEvery: string;
  tickRate: string;
  allowRemote?: boolean;
  tickP99Budget?: string;
  maxErrors?: string;
  out: string;
  progress: boolean;
}

/** `lairmind loadtest`: bot clients against a running server, with JSON, terminal and HTML reports. */
export function registerLoadtest(program: Command): void {
  program
    .command('loadtest')
    .description('load-test a running server with bot clients spread over worker processes; writes <out>.json and <out>.html')
    .option('--url <url>', 'server WebSocket address (this machine only unless --allow-remote)', 'ws://127.0.0.1:2567')
    .option('--room <name>', 'room to join or create', 'world')
    .option('--bots <n>', `number of bots (at most ${MAX_BOTS})`, '50')
    .option('--ramp <duration>', `time over which bots join, e.g. 30s (at most ${MAX_RAMP_S} s)`, '10s')
    .option('--duration <duration>', `steady load after the ramp, e.g. 120s or 2m (at most ${MAX_DURATION_S} s)`, '30s')
    .option('--mix <weights>', 'behaviour weights: wanderer, fighter, talker, idler', 'fighter:50,wanderer:40,talker:10')
    .option('--workers <n>', `worker processes for the bots (at most ${MAX_WORKERS})`, '2')
    .option('--seed <seed>', 'seed of the bots\' choices', 'loadtest')
    .option('--ping-every <ms>', 'milliseconds between each bot\'s pings', '1000')
    .option('--sample-every <s>', 'seconds between samples and /metrics scrapes', '1')
    .option('--allow-remote', 'allow a server that is not on this machine')
    .option('--tick-rate <hz>', "the server's tick rate (its TICK_RATE), drawn as the tick budget on the report's tick chart", '20')
    .option('--tick-p99-budget <ms>', 'fail when the server tick p99 is over this')
    .option('--max-errors <n>', 'fail when bots report more errors than this')
    .option('--out <prefix>', 'report path prefix', 'loadtest-results/loadtest')
    .option('--no-progress', 'no progress line')
    .action(async (f: LoadtestFlags) => {
      const report = await runLoadtest({
        url: f.url, room: f.room, bots: f.bots, ramp: f.ramp, duration: f.duration, mix: f.mix, workers: f.workers, seed: f.seed,
        pingEvery: f.pingEvery, sampleEvery: f.sampleEvery, tickRate: f.tickRate, allowRemote: Boolean(f.allowRemote), out: f.out, progress: f.progress,
        ...(f.tickP99Budget !== undefined && { tickP99Budget: f.tickP99Budget }),
        ...(f.maxErrors !== undefined && { maxErrors: f.maxErrors }),
      });
      console.log(summaryText(report));
      console.log(`reports: ${f.out}.json, ${f.out}.html`);
      if (!report.ok) process.exitCode = 1;
    });
}
