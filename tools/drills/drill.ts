import type { DrillServer, Watcher } from './harness.ts';

export type TransportKind = 'uws' | 'ws';

/** What a drill gets: a fresh server in its own process, and a player watching a room on it. */
export interface DrillContext {
  readonly server: DrillServer;
  readonly watcher: Watcher;
  readonly transport: TransportKind;
}

/** One row of the drill table. */
export interface DrillRow {
  readonly drill: string;
  readonly transport: TransportKind;
  readonly ok: boolean;
  /** What happened (on failure: what was wrong). */
  readonly outcome: string;
  /** Worst gap between state patches seen by a watching client during the drill, in ms. */
  readonly worstPatchGapMs: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly seconds: number;
}

/**
 * One bad thing done to a real server. `run` does it and returns what it saw (throwing when the server did
 * not hold); afterwards the runner checks the common promises: the process is alive, `/health` answers within
 * 1 s, and the watching client stayed connected with no patch gap over `maxGapMs`.
 */
export interface Drill {
  readonly name: string;
  /** One line for the README and the table: what passing proves. */
  readonly proves: string;
  /** Server settings for this drill. */
  readonly env?: Readonly<Record<string, string>>;
  /** Largest patch gap the watcher may see (default 1,000 ms). */
  readonly maxGapMs?: number;
  /** Starts a real redis-server (Debian's `redis-server` on PATH; without it the drill fails, saying so). */
  readonly redis?: boolean;
  run(ctx: DrillContext): Promise<string>;
  /** Drills that start their own servers (two processes, Redis) return the whole row themselves. */
  custom?(transport: TransportKind): Promise<DrillRow>;
}
