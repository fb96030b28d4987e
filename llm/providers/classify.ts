import { ProviderError } from '../errors.ts';
import type { FailureKind } from '../errors.ts';
import type { Redactor } from '../redact.ts';
import { parseRetryAfter, parseRetryDelay } from '../retryAfter.ts';
import type { HeaderLike } from '../retryAfter.ts';

/** The kind of failure for an HTTP status. */
export function kindOfStatus(status: number): FailureKind {
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 409 || status >= 500) return 'server';
  return 'bad_request';
}

/** Why the attempt's signal fired, set by the gateway: `timeout` or `caller`. */
export function abortReason(signal: AbortSignal): 'timeout' | 'caller' | undefined {
  if (!signal.aborted) return undefined;
  const r = signal.reason as { name?: string } | undefined;
  return r?.name === 'TimeoutError' ? 'timeout' : 'caller';
}

/**
 * Turn whatever an SDK threw into a ProviderError (or rethrow the caller's abort). Reads `status` and
 * `headers` where the SDK exposes them; messages pass through the redactor so keys never leak.
 */
export function classifyError(e: unknown, ctx: { provider: string; model: string; signal: AbortSignal; redactor: Redactor }): ProviderError {
  if (e instanceof ProviderError) return e;
  const base = { provider: ctx.provider, model: ctx.model };
  const why = abortReason(ctx.signal);
  const err = e as { status?: unknown; headers?: HeaderLike; message?: unknown; name?: string; code?: string };
  const rawMessage = typeof err?.message === 'string' ? err.message : String(e);
  const message = ctx.redactor.text(rawMessage).slice(0, 500);
  if (why === 'timeout') return new ProviderError({ ...base, kind: 'timeout', message: 'attempt timed out' }, { cause: sanitizedCause(e, message) });
  if (why === 'caller') return new ProviderError({ ...base, kind: 'timeout', message: 'aborted' }, { cause: sanitizedCause(e, message) });
  const status = typeof err?.status === 'number' ? err.status : undefined;
  if (status !== undefined && status > 0) {
    const retryAfterMs = parseRetryAfter(err.headers, Date.now()) ?? parseRetryDelay(rawMessage);
    return new ProviderError({ ...base, kind: kindOfStatus(status), status, retryAfterMs, message }, { cause: sanitizedCause(e, message) });
  }
  const timeoutLike = /timed? ?out/i.test(rawMessage) || err?.name === 'APIConnectionTimeoutError';
  return new ProviderError({ ...base, kind: timeoutLike ? 'timeout' : 'connection', message }, { cause: sanitizedCause(e, message) });
}

/**
 * SDK errors may carry the request (headers with the key) in their properties; keep only a plain Error
 * with the redacted message and name as the cause.
 */
function sanitizedCause(e: unknown, message: string): Error {
  const c = new Error(message);
  c.name = (e as { name?: string })?.name ?? 'Error';
  return c;
}
