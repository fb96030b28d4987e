import type { BotBehaviourName, BotErrorKind } from '../bots/index.ts';

/** One bot a worker runs. */
export interface WorkerBot {
  readonly index: number;
  readonly behaviour: BotBehaviourName;
  /** Milliseconds after the start message at which it joins. */
  readonly startAtMs: number;
}

/** Orchestrator → worker. */
export type ToWorker =
  | { readonly type: 'start'; readonly url: string; readonly room: string; readonly seed: string; readonly pingEveryMs: number; readonly sampleEveryMs: number; readonly bots: readonly WorkerBot[] }
  | { readonly type: 'stop' };

/** What a worker saw in one sample window. */
export interface WorkerSample {
  readonly worker: number;
  /** Bots in the room now. */
  readonly connected: number;
  /** Bots whose join failed, since the start. */
  readonly failed: number;
  /** Join latencies (ms) of bots that joined in this window. */
  readonly joins: readonly number[];
  /** Ping round trips (ms) in this window. */
  readonly rtts: readonly number[];
  /** State patches decoded and bytes received over all bots in this window. */
  readonly patches: number;
  readonly bytes: number;
  /** Messages sent in this window, by type. */
  readonly sent: Readonly<Record<string, number>>;
  /** Errors in this window, by kind, with a few example messages. */
  readonly errors: Readonly<Partial<Record<BotErrorKind, number>>>;
  readonly errorExamples: readonly { readonly kind: BotErrorKind; readonly message: string }[];
  /** CPU this worker used in the window, percent of one core (is the generator the bottleneck?). */
  readonly cpuPct: number;
  /** Window length in seconds. */
  readonly seconds: number;
}

/** Worker → orchestrator. */
export type FromWorker =
  | { readonly type: 'ready' }
  | ({ readonly type: 'sample' } & WorkerSample)
  | ({ readonly type: 'done' } & WorkerSample);
