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
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServerProcessOptions {
  /** Milliseconds to wait for /health (default 90,000). */
  readonly timeoutMs?: number;
  /** Pin the server to these CPUs (`taskset -c` list, e.g. `0`), so it does not share a core with the load generator. */
  readonly cpus?: string;
}

/**
 * Start the game server (as `lairmind serve` does) on a free loopback port with `env` (server settings such as WORLD_SIZE,
 * MONSTER_DENSITY, MAX_CLIENTS, DEBUG_SLOW_TICK_MS) and wait until /health answers. Its log goes to stderr at
 * level warn unless LOG_LEVEL is given.
 */
export async function startServerProcess(env: Record<string, string> = {}, opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const port = await freePort();
  const node = [process.execPath, '--import', 'tsx', join(ROOT, 'tools', 'loadtest', 'serverMain.ts')];
  const [cmd, ...args] = opts.cpus ? ['taskset', '-c', opts.cpus, ...node] : node;
  const proc = spawn(cmd as string, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), TRANSPORT: env.TRANSPORT ?? 'uws' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited: number | null = null;
  proc.on('exit', (code) => {
    exited = code ?? -1;
  });
  const stop = async (graceMs = 5000): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  };
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`the server exited with code ${exited} before it was ready`);
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
  return { url: `ws://127.0.0.1:${port}`, port, proc, stop };
}
