import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { quantile, round } from './stats.ts';
import { freePort } from '../tools/freePort.ts';

interface Window {
  steps: number[];
  patches: number[];
  bytes: number;
  rss: number;
  seconds: number;
}

function child(script: string, args: string[], env: Record<string, string>): { proc: ChildProcess; lines: AsyncIterator<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { proc, lines };
}

async function expectLine(lines: AsyncIterator<string>, prefix: string, what: string): Promise<string> {
  for (;;) {
    const r = await lines.next();
    if (r.done) throw new Error(`${what} ended before printing '${prefix}'`);
    if (r.value.startsWith(prefix)) return r.value;
  }
}

/** Most clients in a full-sync comparison run. */
const FULL_SYNC_CLIENTS = 10;

/** One run: a server child with a 10k-monster world, K clients in another child, a measured window. */
async function run(k: number, fullSync: boolean, o: { worldSize: number; density: number; warmupS: number; measureS: number }): Promise<Window> {
  const port = await freePort();
  const server = child('bench/netServer.ts', [], {
    PORT: String(port), LOG_LEVEL: 'silent', WORLD_SIZE: String(o.worldSize), MONSTER_DENSITY: String(o.density),
    VIEW_RADIUS: fullSync ? '4096' : '24', SEED: 'net-bench', MAX_CLIENTS: '2000',
  });
  try {
    await expectLine(server.lines, 'ready', 'server');
    const clients = child('bench/netClients.ts', [`ws://127.0.0.1:${port}`, String(k)], {});
    try {
      await expectLine(clients.lines, 'joined', 'clients');
      await new Promise((r) => setTimeout(r, o.warmupS * 1000));
      server.proc.stdin!.write(`measure ${o.measureS}\n`);
      const line = await expectLine(server.lines, '{', 'server');
      return JSON.parse(line) as Window;
    } finally {
      clients.proc.kill('SIGKILL');
    }
  } finally {
    server.proc.stdin!.write('exit\n');
    await new Promise((r) => setTimeout(r, 300));
    server.proc.kill('SIGKILL');
  }
}

/** `npm run bench:net`: tick time and bandwidth with interest management vs full sync, 1/10/100 clients. */
export async function runNetBench({ smoke }: { smoke: boolean }): Promise<Record<string, number>> {
  const sizes = smoke ? [1, 4] : [1, 10, 100];
  // 30 s windows (600 ticks at 20 Hz): p99 is then the 6th-worst tick, not a coin toss over two or three.
  const o = smoke ? { worldSize: 256, density: 2, warmupS: 1, measureS: 1.5 } : { worldSize: 1024, density: 8.4, warmupS: 2, measureS: 30 };
  const metrics: Record<string, number> = {};
  const rows: Record<string, unknown>[] = [];
  for (const k of sizes) {
    const interest = await run(k, false, o);
    // Every full-sync client receives the same patches, so bytes per client do not depend on how many there are;
    // past 10 clients the full-sync comparison run uses 10 (100 full-sync clients would need ~0.5 GB/s on loopback).
    const full = await run(Math.min(k, FULL_SYNC_CLIENTS), true, o);
    const ticks = interest.steps.slice(0, interest.patches.length).map((s, i) => s + (interest.patches[i] ?? 0));
    const down = interest.bytes / k / interest.seconds;
    const fullDown = full.bytes / Math.min(k, FULL_SYNC_CLIENTS) / full.seconds;
    metrics[`tick_p50_ms@${k}`] = round(quantile(ticks, 0.5));
    metrics[`tick_p99_ms@${k}`] = round(quantile(ticks, 0.99));
    metrics[`down_bytes_per_client_s@${k}`] = Math.round(down);
    metrics[`full_sync_bytes_per_client_s@${k}`] = Math.round(fullDown);
    metrics[`interest_ratio@${k}`] = round(down / fullDown, 4);
    metrics[`server_rss_mb@${k}`] = round(interest.rss / 2 ** 20, 1);
    const fullTicks = full.steps.slice(0, full.patches.length).map((s, i) => s + (full.patches[i] ?? 0));
    rows.push({
      clients: k, 'tick p50 ms': metrics[`tick_p50_ms@${k}`], 'tick p99 ms': metrics[`tick_p99_ms@${k}`], 'down B/client/s': Math.round(down),
      'full-sync B/client/s': Math.round(fullDown), 'interest ratio': metrics[`interest_ratio@${k}`], 'full-sync tick p99 ms': round(quantile(fullTicks, 0.99)),
      'server RSS MB': metrics[`server_rss_mb@${k}`],
    });
  }
  console.table(rows);
  console.log('targets: interest_ratio@100 <= 0.1, tick_p99_ms@100 <= 25');
  return metrics;
}
