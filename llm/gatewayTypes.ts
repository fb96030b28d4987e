import type { Redis } from 'ioredis';
import type { ZodType } from 'zod';
import { ValidationError } from '../shared/index.ts';
import type { Clock, Rng } from '../shared/index.ts';
import type { BudgetAlert, BudgetConfig, BudgetScope } from './budgets.ts';
import type { GuardOptions } from './guard.ts';
import type { OperationPreset } from './presets.ts';
import type { ProvidersConfig } from './providerConfig.ts';
import type { ModelRegistry } from './registry.ts';
import type { RoutingDecision, RoutingOptions } from './router.ts';
import type { Sleep } from './sleep.ts';
import type { QueueOptions } from './admissionQueue.ts';
import type { BreakerPolicy, BreakerState } from './stores/breakerState.ts';
import type { BreakerStore } from './stores/breakerStore.ts';
import type { CacheStore } from './stores/cacheStore.ts';
import type { CounterStore } from './stores/counterStore.ts';
import type { RedisLinkOptions } from './stores/redisLink.ts';
import type { CallRecord } from './telemetry.ts';
import type { TierDefinition } from './tiers.ts';
import type { TraceCarrier } from './tracing.ts';
import type { ChatMessage, ProviderAdapter } from './types.ts';

/** Retries on the same model, before moving down the chain. */
export interface RetryPolicy {
  /**
   * Retries per link after the first try (429 without Retry-After, 5xx, connection errors). Default 1. A timeout or
   * a Retry-After moves to the next link at once (the deployment then rests for the time it asked for).
   */
  readonly maxRetries: number;
  /** First backoff, ms; doubles per retry, with equal jitter. Default 50. */
  readonly baseDelayMs: number;
  /** Largest backoff, ms. Default 500. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 1, baseDelayMs: 50, maxDelayMs: 500 };

/** A pino-compatible logger (only these methods are used). Messages are redacted before logging. */
export interface GatewayLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Everything a gateway can be configured with; all optional (no keys, no Redis ⇒ local only, memory). */
export interface GatewayOptions {
  /** Model registry (default: llm/models.yaml). */
  readonly registry?: ModelRegistry;
  /** Providers and keys (default: {@link providersFromEnv}). */
  readonly providers?: ProvidersConfig;
  /** Extra or replacement adapters by provider name (custom providers, tests). */
  readonly adapters?: Readonly<Record<string, ProviderAdapter>>;
  /**
   * Share breakers, cache, budgets and rate limits through this Redis (ioredis) client. While it is
   * unreachable the gateway keeps answering: breakers and cache in memory, and cloud calls that a budget or
   * rate limit would have to approve are refused (the local handler answers) until Redis returns.
   */
  readonly redis?: Redis;
  /** Deadline of one Redis store command and how long to skip Redis after a failure, ms (500 and 1000). */
  readonly redisTimeouts?: RedisLinkOptions;
  /** Redis key prefix (default `llm:`). */
  readonly keyPrefix?: string;
  /** Replace individual stores (otherwise memory, or Redis when `redis` is set). */
  readonly stores?: { readonly counters?: CounterStore; readonly breakers?: BreakerStore; readonly cache?: CacheStore };
  /** Clock for breaker, budget, rate-limit and cache windows (ms). Default: wall clock. */
  readonly clock?: Clock;
  /** Randomness for backoff jitter, nonces and canaries. */
  readonly rng?: Rng;
  /** Backoff sleep (default: real timers). */
  readonly sleep?: Sleep;
  readonly routing?: RoutingOptions;
  readonly retry?: Partial<RetryPolicy>;
  readonly breaker?: Partial<BreakerPolicy>;
  /** Response cache; `maxEntries` bounds the memory LRU (default 10 000). */
  readonly cache?: { readonly enabled?: boolean; readonly maxEntries?: number };
  readonly budgets?: BudgetConfig;
  readonly tiers?: Readonly<Record<string, TierDefinition>>;
  /** Tier applied when a call names none (default: none, i.e. no tier limits). */
  readonly defaultTier?: string;
  /** Per-operation presets over the built-in ones. */
  readonly presets?: Readonly<Record<string, Partial<OperationPreset>>>;
  readonly guard?: GuardOptions;
  readonly logger?: GatewayLogger;
  /** A player, tenant, room or the deployment passed a threshold of its cost limit (or a tier's cost alert). */
  readonly onAlert?: (alert: BudgetAlert) => void;
  /** Concurrency caps per provider; past a cap requests wait by priority class, rooms taking turns. */
  readonly queue?: QueueOptions;
  /** Requests that exhausted every link kept for operators (default 500). */
  readonly deadLetterCapacity?: number;
  /** Call records kept for `telemetry.recent()` (default 1000). */
  readonly telemetryCapacity?: number;
}

/** One gateway call. */
export interface CallRequest<T = string> {
  /** Operation type (`tactics`, `dialogue`, …): picks the preset, cache TTL, tier layer and local handler. */
  readonly operation: string;
  /** The prompt. Wrap player text with `untrusted(label, text)`; system messages must be trusted. */
  readonly messages: readonly ChatMessage[];
  /** Output schema: sent as the provider's JSON-schema mode, validated, repaired once. Absent ⇒ free text. */
  readonly schema?: ZodType<T>;
  /** Structured input for the local handler (the game's own view of the situation). */
  readonly input?: unknown;
  /** The tenant (studio, game or service) the call is accounted to (default `anonymous`). */
  readonly tenant?: string;
  /** The player the call serves: tier limits and the player budget count per player (default: per tenant). */
  readonly player?: string;
  /** Room or session id for the room budget. */
  readonly room?: string;
  /** This room's limits (e.g. a scenario's budget); the configured room budget stays a ceiling (the stricter applies). */
  readonly roomBudget?: BudgetScope;
  /** Tier name for rate limits and tier budget. */
  readonly tier?: string;
  /** Caller's cancel signal: aborts everything and rejects with CallAbortedError. */
  readonly signal?: AbortSignal;
  /** Total deadline for the call from now, ms (default: the preset's). */
  readonly deadlineMs?: number;
  /** Per-call preset overrides (temperature, maxTokens, timeoutMs, cacheable, …). */
  readonly overrides?: Partial<OperationPreset>;
  /** Per-call routing (strategy, pinned, constraints, maxFallbacks). */
  readonly routing?: RoutingOptions;
  /** When a tier/budget refuses or every cloud link fails, answer from local (default true). */
  readonly localFallback?: boolean;
  /**
   * The caller's own cache key, used instead of the messages: calls with equal keys (and the same operation, schema
   * and parameters) share one cached reply, however their prompts differ. For callers that know when two
   * situations deserve the same answer (cloud tactics keys by the quantised battle); the reply must then make sense
   * for every prompt with that key. At most `MAX_CACHE_KEY_CHARS` (cache.ts) characters.
   */
  readonly cacheKey?: string;
  /**
   * Where the call's spans hang (when tracing is on): the call span is a child of `parent` (the caller's span, e.g.
   * a coordinator's ask) and links `links` (the tick that asked). Kept with a queued request, so a call that starts
   * later still joins its caller's trace. Ignored when tracing is off.
   */
  readonly trace?: TraceCarrier;
}

/** A successful call. */
export interface CallResult<T> {
  readonly value: T;
  readonly provider: string;
  readonly model: string;
  readonly cached: boolean;
  readonly record: CallRecord;
  /** The routing decision (undefined for cache hits and local-only calls). */
  readonly decision: RoutingDecision | undefined;
}

/** Snapshot for `/health`. */
export interface GatewayHealth {
  /** Configured providers (never keys). `local` is always there. */
  readonly providers: readonly string[];
  readonly models: readonly string[];
  /** `none`: no cloud model configured; `unreachable`: every model's breaker is open or it is resting; `ok`. */
  readonly cloud: 'none' | 'ok' | 'unreachable';
  /** Models that cannot be called now (breaker open, or resting after a Retry-After). */
  readonly unavailable: readonly string[];
  readonly breakers: Readonly<Record<string, BreakerState>>;
  readonly shared: boolean;
  /** With Redis: whether it is reachable now (while it is not, the stores answer from memory). */
  readonly sharedReachable?: boolean;
}

/** A stream of text chunks plus the final record. */
export interface LlmStream extends AsyncIterable<string> {
  /** Resolves when the stream ends, with the full text and the record. */
  readonly result: Promise<CallResult<string>>;
}

/** Check a call request's shape; throws a ValidationError naming each bad field. */
export function validateRequest(req: { operation: unknown; messages: unknown; deadlineMs?: unknown }): void {
  const issues: { path: PropertyKey[]; message: string }[] = [];
  if (typeof req.operation !== 'string' || req.operation.length === 0) issues.push({ path: ['operation'], message: 'expected a non-empty string' });
  if (!Array.isArray(req.messages)) issues.push({ path: ['messages'], message: 'expected an array of messages' });
  else
    req.messages.forEach((m: { role?: unknown; content?: unknown }, k: number) => {
      if (m === null || typeof m !== 'object') issues.push({ path: ['messages', k], message: 'expected { role, content }' });
      else {
        if (m.role !== 'system' && m.role !== 'user' && m.role !== 'assistant') issues.push({ path: ['messages', k, 'role'], message: 'expected system, user or assistant' });
        if (typeof m.content !== 'string' && !Array.isArray(m.content)) issues.push({ path: ['messages', k, 'content'], message: 'expected a string or an array of parts' });
      }
    });
  if (req.deadlineMs !== undefined && !(typeof req.deadlineMs === 'number' && req.deadlineMs > 0)) issues.push({ path: ['deadlineMs'], message: 'expected a number > 0 (ms)' });
  if (issues.length) throw new ValidationError('llm request', issues);
}

