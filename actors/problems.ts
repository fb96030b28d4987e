import type { ActorId } from './ids.ts';

/** Codes of the things the runtime refused or dropped. Each has a counter in {@link WorldStats}. */
export type ProblemCode =
  | 'dead-letter'
  | 'mailbox-full'
  | 'malformed-effect'
  | 'malformed-result'
  | 'invalid-spawn'
  | 'invalid-input'
  | 'invalid-reply'
  | 'late-reply'
  | 'stale-reply'
  | 'superseded-reply'
  | 'actor-failed'
  /** A `release` or `adopt` input that could not be carried out (unknown actor, actor already here, …). */
  | 'refused-transfer';

/** Something the runtime refused or dropped, with a message naming what was wrong. */
export interface Problem {
  readonly tick: number;
  readonly code: ProblemCode;
  readonly actor?: ActorId;
  readonly message: string;
}

/** Running counters of a world (monotonic; for metrics and inspection, not part of the state hash). */
export interface WorldStats {
  /** Messages handed to behaviours, the per-step tick included. */
  delivered: number;
  spawned: number;
  stopped: number;
  deaths: number;
  failures: number;
  restarts: number;
  escalations: number;
  asks: number;
  askTimeouts: number;
  /** Actors that left for another world (`release`) and arrived from one (`adopt`). */
  released: number;
  adopted: number;
  problems: Record<ProblemCode, number>;
}

export function emptyStats(): WorldStats {
  return {
    delivered: 0,
    spawned: 0,
    stopped: 0,
    deaths: 0,
    failures: 0,
    restarts: 0,
    escalations: 0,
    asks: 0,
    askTimeouts: 0,
    released: 0,
    adopted: 0,
    problems: {
      'dead-letter': 0,
      'mailbox-full': 0,
      'malformed-effect': 0,
      'malformed-result': 0,
      'invalid-spawn': 0,
      'invalid-input': 0,
      'invalid-reply': 0,
      'late-reply': 0,
      'stale-reply': 0,
      'superseded-reply': 0,
      'actor-failed': 0,
      'refused-transfer': 0,
    },
  };
}
