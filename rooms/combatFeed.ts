import type { StepReport } from '../actors/index.ts';
import type { Interest } from './interest.ts';

/** The `hit` message: one landed blow, sent to the clients that see its target. */
export interface HitMessage {
  readonly target: number;
  readonly source: number;
  readonly amount: number;
  /** The target's hp after the blow. */
  readonly hp: number;
  readonly tick: number;
}

/** Send each landed blow of a step to the clients that see its target (`send` by session id). */
export function sendHits(report: StepReport, tick: number, interest: Interest, send: (sessionId: string, type: string, body: HitMessage) => void): void {
  for (const a of report.attacks) {
    const audience = interest.audienceOf(a.target);
    if (audience.length === 0) continue;
    const msg: HitMessage = { target: a.target, source: a.attacker, amount: a.damage, hp: a.hp, tick };
    for (const key of audience) send(key, 'hit', msg);
  }
}
