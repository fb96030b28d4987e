import { connect } from 'node:net';
import { Client } from '@colyseus/sdk';
import type { Room } from '@colyseus/sdk';
import { startServerProcess } from '../loadtest/serverProcess.ts';
import type { ServerProcess } from '../loadtest/serverProcess.ts';

/** The admin token every drill server runs with. */
export const DRILL_ADMIN_TOKEN = 'drill-admin-token-0123456789';

/** What a drill reads off a server process over HTTP. */
export interface Probe {
  readonly http: string;
  /**
   * GET /health with a 1 s deadline: its status (0 when it did not answer in time), how long it took, and whether
   * the LLM gateway reaches its shared store (when it has one).
   */
  health(): Promise<{ status: number; ms: number; sharedReachable?: boolean }>;
  /** Resident set size in bytes, from /metrics. */
  rss(): Promise<number>;
  /** One counter or gauge from /metrics (summed over its labels), or 0. */
  metric(name: string): Promise<number>;
  /** Whether the process is still running. */
  alive(): boolean;
}

/** A game server in its own process, as `npm start` runs it, with what a drill reads off it. */
export type DrillServer = ServerProcess & Probe;

/** Megabytes with one decimal, for the table. */
export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The probe of a server process. */
export function probe(proc: ServerProcess): Probe {
  const http = `http://127.0.0.1:${proc.port}`;
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${http}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const rest = line.slice(name.length);
      if (rest[0] !== ' ' && rest[0] !== '{') continue;
      sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
    }
    return sum;
  };
  return {
    http,
    alive: () => proc.proc.exitCode === null && proc.proc.signalCode === null,
    async health() {
      const t0 = performance.now();
      try {
        const res = await fetch(`${http}/health`, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as { components?: { llm?: { sharedReachable?: boolean } } };
        const shared = body.components?.llm?.sharedReachable;
        return { status: res.status, ms: performance.now() - t0, ...(shared !== undefined && { sharedReachable: shared }) };
      } catch {
        return { status: 0, ms: performance.now() - t0 };
      }
    },
    rss: () => metric('lairmind_process_resident_memory_bytes'),
    metric,
  };
}

export async function startDrillServer(env: Record<string, string>): Promise<DrillServer> {
  // Players join where the others are (PLAYER_SPAWNS=gather): a drill's watcher must see the client it watches.
  const proc = await startServerProcess({ LOG_LEVEL: 'warn', WORLD_SIZE: '128', SEED: 'drills', ADMIN_TOKEN: DRILL_ADMIN_TOKEN, RECONNECT_SECONDS: '5', PLAYER_SPAWNS: 'gather', ...env });
  return Object.assign(proc, probe(proc));
}

/**
 * A well-behaved player that watches a room during a drill: joined with the SDK, it notes when each state patch
 * arrives, so the drill can tell whether bystanders kept receiving the world.
 */
export class Watcher {
  private last = 0;
  private worst = 0;
  leftCode: number | null = null;
  private constructor(readonly room: Room) {
    room.reconnection.enabled = false;
    room.onMessage('resume', () => {}); // the key to come back after a restart: a watcher does not come back
    room.onStateChange(() => {
      const now = performance.now();
      if (this.last) this.worst = Math.max(this.worst, now - this.last);
      this.last = now;
    });
    room.onLeave((code) => {
      this.leftCode = code;
    });
  }

  static async join(url: string, roomId?: string, options: Record<string, unknown> = {}): Promise<Watcher> {
    const client = new Client(url);
    const room = roomId ? await client.joinById(roomId, { name: 'watcher', ...options }) : await client.create('world', { name: 'watcher', ...options });
    const w = new Watcher(room);
    await waitUntil('the watcher receives patches', () => w.last > 0, 10_000);
    return w;
  }

  /** Start a new measuring window: the worst gap is counted from now. */
  reset(): void {
    this.worst = 0;
    this.last = performance.now();
  }

  /** Worst gap between patches (ms) since the last reset, counting the time since the latest patch. */
  worstGap(): number {
    return Math.max(this.worst, this.last ? performance.now() - this.last : Infinity);
  }

  async leave(): Promise<void> {
    if (this.leftCode === null) await this.room.leave().catch(() => {});
  }
}

/** Poll until `check` holds or `ms` pass (then throw, naming what was awaited). */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Send raw bytes over a fresh TCP connection; resolves with whatever came back once the server closed, or when
 * `closeAfterMs` passed (then this side closes, abruptly).
 */
export function rawHttp(port: number, bytes: string | Buffer, closeAfterMs: number): Promise<{ text: string; closedByServer: boolean; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closedByServer, ms: performance.now() - t0 });
    };
    const timer = setTimeout(() => finish(false), closeAfterMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes);
  });
}

/** Status code of a raw HTTP response, or 0. */
export function statusOf(text: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}
