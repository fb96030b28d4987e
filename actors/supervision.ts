import type { ActorId } from './ids.ts';

/** What to do when a behaviour throws. */
export interface SupervisionPolicy {
  /** `restart` the actor, `stop` it, or `escalate` to its parent (which answers with a `supervise` effect). */
  readonly strategy: 'restart' | 'stop' | 'escalate';
  /** On restart, start from the behaviour's initial state or the last state before the failing message. */
  readonly restartFrom: 'initial' | 'lastGood';
  /** At most this many restarts within `withinSeconds`; one more stops the actor. */
  readonly maxRestarts: number;
  /** Window for `maxRestarts`, in simulation seconds. */
  readonly withinSeconds: number;
}

export const DEFAULT_POLICY: SupervisionPolicy = Object.freeze({
  strategy: 'restart',
  restartFrom: 'lastGood',
  maxRestarts: 3,
  withinSeconds: 10,
});

/** One recorded failure of an actor, for inspection. */
export interface FailureRecord {
  readonly actor: ActorId;
  readonly tick: number;
  readonly messageType: string;
  readonly error: string;
  /** What the runtime did about it. */
  readonly outcome: 'restarted' | 'stopped' | 'escalated' | 'limit-stopped';
}
