import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './freePort.ts';

/** A real `redis-server` (Debian's) on a free loopback port, for tests and drills. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
  /** SIGKILL it (a crash: no goodbye to its clients) and wait until it is gone. */
  kill(): Promise<void>;
  /** Start it again on the same port (after {@link stop}). */
  restart(): Promise<TestRedis>;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** Start redis-server with no persistence (on `port`, or a free one); resolves once it accepts connections. */
export async function startRedis(port?: number): Promise<TestRedis> {
  port ??= await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  let exited = false;
  proc.once('exit', () => {
    exited = true;
  });
  const end = performance.now() + 10_000;
  while (!(await accepts(port))) {
    if (exited) throw new Error('redis-server exited at start (is the Debian package redis-server installed?)');
    if (performance.now() > end) throw new Error(`redis-server did not accept connections on port ${port} within 10 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: proc,
    restart: () => startRedis(port),
    async stop() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    },
    async kill() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    },
  };
}
