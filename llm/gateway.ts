import { randomBytes } from 'node:crypto';
import type { ZodType } from 'zod';
import { Rng } from '../shared/index.ts';
import type { Clock } from '../shared/index.ts';
import { Accounting } from './accounting.ts';
import { AdmissionQueue } from './admissionQueue.ts';
import { DeadLetters } from './deadLetters.ts';
import { CircuitBreakers } from './breaker.ts';
import { Cooldowns } from './cooldowns.ts';
import { ResponseCache } from './cache.ts';
import { resolvePreset } from './presets.ts';
import type { OperationPreset } from './presets.ts';
import { createAdapter, providersFromEnv } from './providerConfig.ts';
import { LocalProvider } from './providers/local.ts';
import type { LocalHandler } from './providers/local.ts';
import { Redactor } from './redact.ts';
import { defaultModelRegistry } from './registry.ts';
import type { ModelInfo } from './registry.ts';
import { HealthProbe, PROBE_INPUT_TOKENS, probeRequest } from './healthProbe.ts';
import { LiveStats } from './liveStats.ts';
import { Router } from './router.ts';
import { realSleep } from './sleep.ts';
import type { Sleep } from './sleep.ts';
import { MemoryBreakerStore } from './stores/memoryBreakerStore.ts';
import { MemoryCacheStore } from './stores/memoryCacheStore.ts';
import { MemoryCounterStore } from './stores/memoryCounterStore.ts';
import { RedisBreakerStore } from './stores/redisBreakerStore.ts';
import { RedisCacheStore } from './stores/redisCacheStore.ts';
import { RedisCounterStore } from './stores/redisCounterStore.ts';
import { FallbackBreakerStore } from './stores/fallbackBreakerStore.ts';
import { FallbackCacheStore } from './stores/fallbackCacheStore.ts';
import { FallbackCounterStore } from './stores/fallbackCounterStore.ts';
import { RedisLink } from './stores/redisLink.ts';
import { RedisSlotStore } from './stores/redisSlotStore.ts';
import { DEFAULT_RETRY } from './gatewayTypes.ts';
import type { BreakerStatus } from './stores/breakerState.ts';
import type { CallRequest, CallResult, GatewayHealth, GatewayOptions, LlmStream, RetryPolicy } from './gatewayTypes.ts';
import { Telemetry } from './telemetry.ts';
import { DEFAULT_TIERS, TierLimiter } from './tiers.ts';
import { TokenCounter, tokenizerFor } from './tokens.ts';
import type { ProviderAdapter, Usage } from './types.ts';
import { AllProvidersFailedError, LlmError } from './errors.ts';
import { validateValue } from './structured.ts';
import { createContext } from './pipeline/callContext.ts';
import { ChunkChannel } from './pipeline/chunkChannel.ts';
import type { GatewayParts } from './pipeline/parts.ts';
import { runCall } from './pipeline/runCall.ts';

/**
 * The LLM gateway: routes a call to a cloud model (cost, performance, balanced, round-robin or pinned),
 * retries, falls back across providers and finally to the caller's local handler; guards prompts,
 * validates structured output, caches, enforces budgets and tier limits, and records telemetry.
 */
export class LlmGateway {
  readonly telemetry: Telemetry;
  readonly cache: ResponseCache;
  readonly breakers: CircuitBreakers;
  readonly accounting: Accounting;
  readonly tiers: TierLimiter;
  readonly cooldowns: Cooldowns;
  readonly router: Router;
  /** Each deployment's recent success rate and latency (routing on live figures). */
  readonly liveStats: LiveStats;
  readonly tokens: TokenCounter;
  private readonly probe: HealthProbe | undefined;
  /** Concurrency caps per provider and the wait by priority class. */
  readonly queue: AdmissionQueue;
  /** Requests that exhausted every link. */
  readonly deadLetters: DeadLetters;
  readonly models: readonly ModelInfo[];
  private readonly adapters: Map<string, ProviderAdapter>;
  private readonly local = new LocalProvider();
  private readonly redactor: Redactor;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly opts: GatewayOptions;
  /** What the steps of a call use (llm/pipeline/). */
  private readonly parts: GatewayParts;
  private seq = 0;
  private readonly idPrefix: string;
  private readonly link: RedisLink | undefined;

  constructor(opts: GatewayOptions = {}) {
    this.opts = opts;
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.rng = opts.rng ?? Rng.create(randomBytes(8).toString('hex'));
    this.redactor = new Redactor();
    this.telemetry = new Telemetry(opts.telemetryCapacity);
    this.idPrefix = this.rng.fork('ids').next().toString(36).slice(2, 8);
    const providers = opts.providers ?? providersFromEnv();
    this.adapters = new Map();
    for (const [name, s] of Object.entries(providers)) this.adapters.set(name, createAdapter(name, s, this.redactor));
    for (const [name, a] of Object.entries(opts.adapters ?? {})) this.adapters.set(name, a);
    const registry = opts.registry ?? defaultModelRegistry();
    this.models = registry.models.filter((m) => m.enabled && this.adapters.has(m.provider));
    const live = opts.routing?.live;
    this.liveStats = new LiveStats(this.clock, live?.windowMs !== undefined ? { windowMs: live.windowMs } : {});
    this.router = new Router(this.models, this.liveStats);
    this.tokens = new TokenCounter();
    this.tokens.preload(new Set(this.models.map(tokenizerFor))); // loads an encoding only where an OpenAI model is configured
    const prefix = opts.keyPrefix ?? 'llm:';
    const r = opts.redis;
    // With Redis, each store falls back to memory while Redis is unreachable (see stores/fallback*.ts).
    const link = r ? new RedisLink(r, opts.redisTimeouts) : undefined;
    this.link = link;
    const memoryCounters = (): MemoryCounterStore => new MemoryCounterStore(this.clock);
    const memoryCache = (): MemoryCacheStore => new MemoryCacheStore(this.clock, opts.cache?.maxEntries);
    const counters = opts.stores?.counters ?? (r && link ? new FallbackCounterStore(link, new RedisCounterStore(r, prefix), memoryCounters) : memoryCounters());
    const breakerStore = opts.stores?.breakers ?? (r && link ? new FallbackBreakerStore(link, new RedisBreakerStore(r, prefix), new MemoryBreakerStore()) : new MemoryBreakerStore());
    const cacheStore = opts.stores?.cache ?? (r && link ? new FallbackCacheStore(link, new RedisCacheStore(r, prefix), memoryCache()) : memoryCache());
    this.cache = new ResponseCache(cacheStore);
    this.breakers = new CircuitBreakers(breakerStore, this.clock, opts.breaker);
    this.accounting = new Accounting(counters, this.clock, opts.budgets, opts.onAlert);
    this.cooldowns = new Cooldowns(counters, this.clock);
    this.queue = new AdmissionQueue(opts.queue);
    this.deadLetters = new DeadLetters(opts.deadLetterCapacity);
    this.tiers = new TierLimiter(counters, opts.tiers ?? DEFAULT_TIERS, opts.defaultTier ?? Object.keys(opts.tiers ?? DEFAULT_TIERS)[0]);
    const b = opts.budgets;
    const scopes = [b?.room, b?.player, b?.tenant, b?.deployment?.daily, b?.deployment?.monthly, ...Object.values(opts.tiers ?? DEFAULT_TIERS).map((t) => t.budget)];
    const retry: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
    const sleep: Sleep = opts.sleep ?? realSleep;
    this.parts = {
      opts,
      clock: this.clock,
      rng: this.rng,
      sleep,
      retry,
      redactor: this.redactor,
      cache: this.cache,
      cacheEnabled: opts.cache?.enabled ?? true,
      breakers: this.breakers,
      cooldowns: this.cooldowns,
      accounting: this.accounting,
      tiers: this.tiers,
      router: this.router,
      byId: new Map(this.models.map((m): [string, ModelInfo] => [m.id, m])),
      models: this.models,
      tokens: this.tokens,
      liveStats: this.liveStats,
      adapters: this.adapters,
      local: this.local,
      telemetry: this.telemetry,
      queue: this.queue,
      deadLetters: this.deadLetters,
      sharedSlots: r && link ? new RedisSlotStore(link, r, prefix) : undefined,
      hasModels: this.models.length > 0,
      hasSoftBudgets: scopes.some((x) => x?.tokens?.soft !== undefined || x?.costUsd?.soft !== undefined),
      nextRequestId: () => `${this.idPrefix}-${++this.seq}`,
      token: () => this.token(),
      log: (level, obj, msg) => this.log(level, obj, msg),
    };
    const hc = live?.healthChecks;
    this.probe = hc && this.models.length > 0
      ? new HealthProbe({ stats: this.liveStats, clock: this.clock, models: () => this.models.map((m) => m.id), send: (id, signal) => this.probeSend(id, signal, hc.timeoutMs ?? 5_000), skip: (id) => this.cooldowns.remainingMs(id) > 0 }, hc)
      : undefined;
    this.probe?.start();
  }

  /** One health check: a one-token request, reserved and settled like any attempt (tenant `lairmind:health`). */
  private async probeSend(id: string, signal: AbortSignal, timeoutMs: number): Promise<void> {
    const model = this.parts.byId.get(id) as ModelInfo;
    const res = await this.accounting.reserve(model, PROBE_INPUT_TOKENS, 1, { tenant: 'lairmind:health', room: undefined }, undefined, 1);
    if (res instanceof LlmError) throw res;
    let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
    try {
      usage = (await (this.adapters.get(model.provider) as ProviderAdapter).complete(probeRequest(model.model, timeoutMs), signal)).usage;
    } finally {
      await this.accounting.settle(res, model, usage).catch(() => 0);
    }
  }

  /** Stop the health checks (if any) and wait for the ones in flight. */
  async close(): Promise<void> {
    await this.probe?.stop();
  }

  /** Register the local handler of an operation (`*` for all). Deterministic, offline, free: the last link of every chain. */
  registerLocal<I = unknown, O = unknown>(operation: string, handler: LocalHandler<I, O>): void {
    this.local.register(operation, handler as LocalHandler);
  }

  /** The preset `operation` runs with (built-in defaults, then the configured presets; no per-call overrides). */
  preset(operation: string): OperationPreset {
    return resolvePreset(operation, this.opts.presets, undefined);
  }

  /**
   * The operation's local handler alone answering `input` (validated against `schema` when given, as in a call): no
   * cloud, cache, budget or record. What a workflow's fallback uses after a step failed. Rejects with
   * AllProvidersFailedError when there is no handler or its answer is invalid, and with what the handler throws.
   */
  async answerLocally<T = unknown>(operation: string, input: unknown, opts: { schema?: ZodType<T>; tenant?: string; room?: string; signal?: AbortSignal } = {}): Promise<T> {
    const handler = this.local.handler(operation);
    if (!handler) throw new AllProvidersFailedError([{ link: 'local', reason: 'no local handler' }]);
    const value = await handler({ operation, input, system: '', messages: [], tenant: opts.tenant, room: opts.room, signal: opts.signal });
    if (!opts.schema) return value as T;
    const v = validateValue(value, opts.schema);
    if (!v.ok) throw new AllProvidersFailedError([{ link: 'local', reason: `local output invalid: ${v.error}` }]);
    return v.value;
  }

  /** Whether `tier` may send `operation` to the cloud at all (false for unknown tiers and local-only layers). */
  cloudAllowed(tier: string, operation: string): boolean {
    if (!(tier in this.tiers.tiers)) return false;
    return this.tiers.cloudAllowed(tier, resolvePreset(operation, this.opts.presets, undefined).layer);
  }

  /** USD reserved or spent by a room against its room budget (shared through Redis when configured). */
  async roomSpentUsd(room: string): Promise<number> {
    const [v] = await this.accounting.spent([this.accounting.budgets.roomCostKey(room)]);
    return (v ?? 0) / 1_000_000;
  }

  /** Providers with a configured adapter (plus `local`). */
  get providers(): string[] {
    return [...this.adapters.keys(), 'local'];
  }

  /** Each model's breaker status now (see {@link CircuitBreakers.statusNow}). */
  breakerStatus(): Promise<Record<string, BreakerStatus>> {
    return this.breakers.statusNow(this.models.map((m) => m.id));
  }

  /**
   * Breaker states and configuration for `/health`. `cloud` is `none` without cloud models, `unreachable` when every
   * model's breaker is open or its deployment is resting after a Retry-After (calls are answered locally), else `ok`.
   */
  async health(): Promise<GatewayHealth> {
    const status = await this.breakerStatus();
    const down = this.models.filter((m) => status[m.id] === 'open' || this.cooldowns.remainingMs(m.id) > 0).map((m) => m.id);
    const cloud = this.models.length === 0 ? 'none' : down.length === this.models.length ? 'unreachable' : 'ok';
    return {
      providers: this.providers,
      models: this.models.map((m) => m.id),
      cloud,
      unavailable: down,
      breakers: await this.breakers.snapshot(),
      shared: this.opts.redis !== undefined,
      ...(this.link && { sharedReachable: this.link.available }),
    };
  }

  /**
   * Make a call. Resolves with a validated value from a cloud model, the cache or the local handler;
   * rejects with BudgetExceededError / RateLimitedError (when `localFallback` is false or there is no
   * local handler), ProviderError (a 4xx the request caused), CallAbortedError, ValidationError (bad
   * request) or AllProvidersFailedError.
   */
  async call<T = string>(req: CallRequest<T>): Promise<CallResult<T>> {
    const c = createContext(this.parts, req as CallRequest<unknown>, undefined, req.signal);
    return (await runCall(this.parts, c)) as CallResult<T>;
  }

  /**
   * Stream free text (NPC speech) through the same steps as {@link call}: guard, cache, tier, budgets, routing,
   * attempts. Falls back to the next link only before the first chunk; the local handler's string is the last link.
   * Output is cut at the preset's `maxOutputChars`. A consumer that stops iterating early cancels the call.
   */
  stream(req: Omit<CallRequest<string>, 'schema'>): LlmStream {
    const channel = new ChunkChannel();
    const signal = req.signal ? AbortSignal.any([req.signal, channel.cancelled]) : channel.cancelled;
    const result = (async (): Promise<CallResult<string>> => {
      const c = createContext(this.parts, req as CallRequest<unknown>, (chunk) => channel.push(chunk), signal);
      return (await runCall(this.parts, c)) as CallResult<string>;
    })().then(
      (r) => {
        channel.end();
        return r;
      },
      (e: unknown) => {
        channel.fail(e);
        throw e;
      },
    );
    result.catch(() => undefined);
    return { [Symbol.asyncIterator]: () => channel, result };
  }

  private token(): string {
    return Math.floor(this.rng.next() * 2 ** 52).toString(36).padStart(10, '0');
  }

  private log(level: 'warn' | 'debug', obj: object, msg: string): void {
    this.opts.logger?.[level](obj, this.redactor.text(msg));
  }
}

