import { AllProvidersFailedError } from '../errors.ts';
import type { LlmError } from '../errors.ts';
import type { CallResult } from '../gatewayTypes.ts';
import type { CallRecord } from '../telemetry.ts';
import type { CallContext } from './callContext.ts';
import { endCallSpan } from '../tracing.ts';
import { now } from './parts.ts';
import type { GatewayParts } from './parts.ts';

/** How a call was answered. */
export interface Answer {
  readonly provider: string;
  readonly model: string;
  readonly cached: boolean;
  readonly routing: string;
  readonly fallback: boolean;
}

function makeRecord(g: GatewayParts, c: CallContext, provider: string, model: string, cached: boolean, fallbackUsed: boolean, outcome: CallRecord['outcome'], error: string | undefined, routing: string): CallRecord {
  const st = c.st;
  return {
    requestId: st.requestId,
    startedAt: st.startedAt,
    operation: c.req.operation,
    tenant: c.tenant,
    ...(c.req.player !== undefined && { player: c.req.player }),
    room: c.req.room,
    tier: c.tierName ?? 'none',
    provider,
    model,
    inputTokens: st.usage.inputTokens,
    outputTokens: st.usage.outputTokens,
    cachedInputTokens: st.usage.cachedInputTokens,
    cached,
    retries: st.retries,
    repairs: st.repairs,
    fallbackUsed,
    fallbackReason: fallbackUsed ? st.fallbackReason : undefined,
    latencyMs: now() - st.t0,
    costUsd: st.costUsd,
    outcome,
    error,
    routing: g.redactor.text(routing),
    attempts: st.attempts,
  };
}

/** Record step (answered): the call record goes to telemetry (metrics, inspector) and the result to the caller. */
export function finish<T>(g: GatewayParts, c: CallContext, how: Answer, value: T): CallResult<T> {
  const record = makeRecord(g, c, how.provider, how.model, how.cached, how.fallback, 'ok', undefined, how.routing);
  g.telemetry.record(record);
  closeSpan(c, { outcome: how.provider === 'local' ? 'local' : how.cached ? 'cached' : 'cloud', provider: how.provider, model: how.model, costUsd: c.st.costUsd, ...(record.fallbackReason !== undefined && { fallbackReason: record.fallbackReason }) });
  return { value, provider: how.provider, model: how.model, cached: how.cached, record, decision: c.decision };
}

/**
 * Record step (not answered): the record says why, then the error is thrown. A request that exhausted every link it
 * had (at least one was tried or skipped as unavailable; not one a tier refused before any link, nor a bad request)
 * also goes to the dead-letter record.
 */
export function fail(g: GatewayParts, c: CallContext, error: LlmError, outcome: 'error' | 'refused' = 'error'): never {
  const reason = g.redactor.text(error.message);
  const record = makeRecord(g, c, 'none', 'none', false, c.st.fallbackReason !== undefined, outcome, reason, c.decision?.reason ?? '');
  g.telemetry.record(record);
  closeSpan(c, { outcome, costUsd: c.st.costUsd, error });
  if (error instanceof AllProvidersFailedError && c.st.attempts.length > 0) {
    g.deadLetters.add({ at: g.clock.now(), requestId: c.st.requestId, operation: c.req.operation, tenant: c.tenant, player: c.req.player, room: c.req.room, reason, links: c.st.attempts.map((a) => ({ link: `${a.provider}:${a.model}`, outcome: a.outcome })) });
  }
  throw error;
}

/** End the call's span once (a call that ends by an exception ends it through {@link closeSpan} too). */
export function closeSpan(c: CallContext, r: Parameters<typeof endCallSpan>[1]): void {
  if (c.spanEnded) return;
  c.spanEnded = true;
  endCallSpan(c.span, r);
}

/** Every link that failed and why, ending with the local link's reason. */
export function failures(c: CallContext, last: string): { link: string; reason: string }[] {
  const out = c.st.attempts.filter((a) => a.outcome !== 'ok').map((a) => ({ link: `${a.provider}:${a.model}`, reason: a.outcome }));
  out.push({ link: 'local', reason: last });
  return out;
}
