import { tempDataDir } from '../tempDataDir.ts';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../freePort.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A game server in its own process (as in production: the load generator does not share its CPU time). */
export interface ServerProcess {
  /** WebSocket address, e.g. `ws://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly proc: ChildProcess;
  /** Its log lines (stdout and stderr), the most recent {@link LOG_LINES}, when started with `captureLogs`. */
  readonly logs: string[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Log lines kept per process with `captureLogs`. */
export const LOG_LINES = 5000;

export interface ServerProcessOptions {
  /** Milliseconds to wait for /health (default 90,000). */
  readonly timeoutMs?: number;
  /** Pin the server to these CPUs (`taskset -c` list, e.g. `0`), so it does not share a core with the load generator. */
  readonly cpus?: string;
  /** Keep its log lines in {@link ServerProcess.logs} instead of passing them to this process's stdout/stderr. */
  readonly captureLogs?: boolean;
  /** Set PUBLIC_ADDRESS to its own loopback address (several processes sharing Redis). */
  readonly publicAddress?: boolean;
  /** Listen on this port (a restarted server where its predecessor was); default a free one. */
  readonly port?: number;
}

/**
 * Start the game server (as `lairmind serve` does) on a free loopback port with `env` (server settings such as WORLD_SIZE,
 * MONSTER_DENSITY, MAX_CLIENTS, DEBUG_SLOW_TICK_MS) and wait until /health answers. Its log goes to stderr at
 * level warn unless LOG_LEVEL is given.
 */
export async function startServerProcess(env: Record<string, string> = {}, opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const port = opts.port ?? (await freePort());
  const node = [process.execPath, '--import', 'tsx', join(ROOT, 'tools', 'loadtest', 'serverMain.ts')];
  const [cmd, ...args] = opts.cpus ? ['taskset', '-c', opts.cpus, ...node] : node;
  const proc = spawn(cmd as string, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: tempDataDir('process'), ...env, PORT: String(port), TRANSPORT: env.TRANSPORT ?? 'uws', ...(opts.publicAddress && { PUBLIC_ADDRESS: `127.0.0.1:${port}` }) },
    stdio: ['ignore', opts.captureLogs ? 'pipe' : 'inherit', opts.captureLogs ? 'pipe' : 'inherit'],
  });
  const logs: string[] = [];
  for (const stream of [proc.stdout, proc.stderr]) {
    if (!stream) continue;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      logs.push(...lines);
      if (logs.length > LOG_LINES) logs.splice(0, logs.length - LOG_LINES);
    });
  }
  let exited: number | null = null;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => {
      exited = code ?? -1;
      resolve({ code, signal });
    });
  });
  const stop = async (graceMs = 5000): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  };
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`the server exited with code ${exited} before it was ready${logs.length ? `; its last lines: ${logs.slice(-5).join(' | ')}` : ''}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200 || res.status === 503) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > end) {
      await stop(0);
      throw new Error(`the server did not answer /health within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `ws://127.0.0.1:${port}`, port, proc, logs, exited: exit, stop };
}
