/** Why a provider attempt failed, normalised across SDKs. */
export type FailureKind =
  | 'rate_limit' // 429
  | 'server' // 5xx, 408, 409
  | 'timeout' // the attempt's own timeout fired
  | 'connection' // refused, reset, DNS
  | 'invalid_output' // unparsable or schema-invalid reply, or a guard violation
  | 'bad_request' // 4xx the request itself caused: never retried, never falls back
  | 'auth'; // 401/403: this provider is misconfigured; fall back

/** Failure kinds after which the gateway moves on to the next link of the chain. */
export const FALLBACK_KINDS: ReadonlySet<FailureKind> = new Set(['rate_limit', 'server', 'timeout', 'connection', 'invalid_output', 'auth']);

/** Failure kinds worth retrying on the same model (with backoff). */
export const RETRY_KINDS: ReadonlySet<FailureKind> = new Set(['rate_limit', 'server', 'timeout', 'connection']);

/** Base class of every error the gateway throws; `status` mirrors an HTTP status where one fits. */
export class LlmError extends Error {
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmError';
    this.status = status;
  }
}

/** One provider attempt failed. The message never contains an API key (see redact.ts). */
export class ProviderError extends LlmError {
  readonly kind: FailureKind;
  readonly provider: string;
  readonly model: string;
  /** Delay the provider asked for (Retry-After / retry-after-ms / RetryInfo), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    init: { kind: FailureKind; provider: string; model: string; status?: number; retryAfterMs?: number; message: string },
    options?: { cause?: unknown },
  ) {
    super(`${init.provider}/${init.model}: ${init.kind}: ${init.message}`, init.status ?? 0, options);
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.provider = init.provider;
    this.model = init.model;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** A budget's hard level refused the call (HTTP 402 in spirit). The caller falls back to local. */
export class BudgetExceededError extends LlmError {
  /** Which budget: `call`, `room`, `tenant`. */
  readonly scope: string;
  /** `tokens` or `cost`. */
  readonly metric: 'tokens' | 'cost';
  constructor(scope: string, metric: 'tokens' | 'cost', detail: string) {
    super(`budget exceeded: ${scope} ${metric} hard limit (${detail})`, 402);
    this.name = 'BudgetExceededError';
    this.scope = scope;
    this.metric = metric;
  }
}

/** A tier or model rate limit refused the call (HTTP 429 in spirit). */
export class RateLimitedError extends LlmError {
  /** What limit: e.g. `tier free coordination hourly`. */
  readonly limit: string;
  /** When the current window ends, in ms from now. */
  readonly retryAfterMs: number;
  constructor(limit: string, retryAfterMs: number) {
    super(`rate limited: ${limit} (retry in ${Math.ceil(retryAfterMs)} ms)`, 429);
    this.name = 'RateLimitedError';
    this.limit = limit;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Every link of the chain failed (including local, or there was none). `cause` is the last failure. */
export class AllProvidersFailedError extends LlmError {
  readonly failures: readonly { readonly link: string; readonly reason: string }[];
  constructor(failures: readonly { link: string; reason: string }[], options?: { cause?: unknown }) {
    super(`all providers failed: ${failures.map((f) => `${f.link} (${f.reason})`).join(', ') || 'no candidates'}`, 503, options);
    this.name = 'AllProvidersFailedError';
    this.failures = failures;
  }
}

/** The caller's AbortSignal fired. */
export class CallAbortedError extends LlmError {
  constructor(options?: { cause?: unknown }) {
    super('call aborted by caller', 499, options);
    this.name = 'CallAbortedError';
  }
}

/**
 * The shared store (Redis) behind budgets and rate limits could not be reached, so a reservation against a
 * finite limit was refused rather than allowed unchecked. The gateway answers from the local handler instead.
 */
export class SharedStoreUnavailableError extends LlmError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`shared store unavailable: ${detail}`, 503, options);
    this.name = 'SharedStoreUnavailableError';
  }
}
