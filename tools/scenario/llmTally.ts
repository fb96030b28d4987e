import type { CallRecord } from '../../llm/index.ts';

/** Distinct fallback reasons and error kinds kept; the rest are counted under `other`. */
const MAX_KINDS = 20;

function bump(m: Record<string, number>, key: string): void {
  const k = key in m || Object.keys(m).length < MAX_KINDS ? key : 'other';
  m[k] = (m[k] ?? 0) + 1;
}

/**
 * What the gateway did during a headless run, from its call records: cloud attempts sent and how each failed,
 * calls answered by the local handler and why, and calls that failed outright.
 */
export class LlmTally {
  /** Attempts sent to a cloud provider (retries and repairs included; skipped links are not sent). */
  attempts = 0;
  /** Failed cloud attempts plus calls that failed outright. */
  errors = 0;
  /** `provider:kind` of failed attempts (`openai:timeout`), `call:<outcome>` of failed calls. */
  readonly errorsByKind: Record<string, number> = {};
  /** Calls answered by the local handler. */
  fallbacks = 0;
  readonly fallbackReasons: Record<string, number> = {};

  record(r: CallRecord): void {
    for (const a of r.attempts) {
      if (a.provider === 'local' || a.outcome.startsWith('skipped')) continue;
      this.attempts++;
      if (a.outcome !== 'ok' && a.outcome !== 'repair_ok') {
        this.errors++;
        bump(this.errorsByKind, `${a.provider}:${a.outcome}`);
      }
    }
    if (r.outcome !== 'ok') {
      this.errors++;
      bump(this.errorsByKind, `call:${r.outcome}`);
    } else if (r.provider === 'local') {
      this.fallbacks++;
      bump(this.fallbackReasons, (r.fallbackReason ?? (r.routing === 'local only' ? 'no cloud provider configured' : r.routing)).slice(0, 120));
    }
  }
}
