import { randomBytes } from 'node:crypto';
import type { ZodType } from 'zod';
import { Rng } from '../shared/index.ts';
import type { Clock } from '../shared/index.ts';
import { Accounting } from './accounting.ts';
import type { Reservation } from './accounting.ts';
import { CircuitBreakers } from './breaker.ts';
import { Cooldowns } from './cooldowns.ts';
import type { BudgetScope, BudgetSubject } from './budgets.ts';
import { cacheKey, ResponseCache } from './cache.ts';
import { AllProvidersFailedError, BudgetExceededError, CallAbortedError, LlmError, ProviderError, RETRY_KINDS } from './errors.ts';
import { leaksCanary, renderPrompt } from './guard.ts';
import type { GuardedPrompt } from './guard.ts';
import { resolvePreset } from './presets.ts';
import type { OperationPreset } from './presets.ts';
import { createAdapter, providersFromEnv } from './providerConfig.ts';
import { LocalProvider } from './providers/local.ts';
import type { LocalHandler } from './providers/local.ts';
import { Redactor } from './redact.ts';
import { defaultModelRegistry } from './registry.ts';
import type { ModelInfo } from './registry.ts';
import { Router } from './router.ts';
import type { Candidate, RoutingDecision, RoutingOptions } from './router.ts';
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
import { DEFAULT_RETRY, validateRequest } from './gatewayTypes.ts';
import type { BreakerStatus } from './stores/breakerState.ts';
import type { CallRequest, CallResult, GatewayHealth, GatewayOptions, LlmStream, RetryPolicy } from './gatewayTypes.ts';
import { jsonSchemaOf, parseStructured, repairMessage, validateValue } from './structured.ts';
import { Telemetry } from './telemetry.ts';
import type { AttemptRecord, CallRecord } from './telemetry.ts';
import { DEFAULT_TIERS, TierLimiter } from './tiers.ts';
import type { TierDefinition } from './tiers.ts';
import { estimatePromptTokens } from './tokens.ts';
import type { ProviderAdapter, ProviderRequest, RenderedMessage, Usage } from './types.ts';

interface CallState {
  readonly requestId: string;
  readonly t0: number;
  readonly startedAt: number;
  readonly deadlineAt: number;
  readonly attempts: AttemptRecord[];
  retries: number;
  repairs: number;
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number };
  costUsd: number;
  fallbackReason: string | undefined;
  refusal: LlmError | undefined;
  lastError: unknown;
}

type LinkOutcome = { readonly ok: true; readonly value: unknown; readonly text: string } | { readonly ok: false; readonly reason: string };

const now = (): number => performance.now();

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
  readonly models: readonly ModelInfo[];
  private readonly byId: Map<string, ModelInfo>;
  private readonly adapters: Map<string, ProviderAdapter>;
  private readonly local = new LocalProvider();
  private readonly redactor: Redactor;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly sleep: Sleep;
  private readonly retry: RetryPolicy;
  private readonly opts: GatewayOptions;
  private readonly cacheEnabled: boolean;
  private readonly hasSoftBudgets: boolean;
  private seq = 0;
  private readonly idPrefix: string;
  private readonly link: RedisLink | undefined;

  constructor(opts: GatewayOptions = {}) {
    this.opts = opts;
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.rng = opts.rng ?? Rng.create(randomBytes(8).toString('hex'));
    this.sleep = opts.sleep ?? realSleep;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.redactor = new Redactor();
    this.telemetry = new Telemetry(opts.telemetryCapacity);
    this.idPrefix = this.rng.fork('ids').next().toString(36).slice(2, 8);
    const providers = opts.providers ?? providersFromEnv();
    this.adapters = new Map();
    for (const [name, s] of Object.entries(providers)) this.adapters.set(name, createAdapter(name, s, this.redactor));
    for (const [name, a] of Object.entries(opts.adapters ?? {})) this.adapters.set(name, a);
    const registry = opts.registry ?? defaultModelRegistry();
    this.models = registry.models.filter((m) => m.enabled && this.adapters.has(m.provider));
    this.byId = new Map(this.models.map((m) => [m.id, m]));
    this.router = new Router(this.models);
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
    this.cacheEnabled = opts.cache?.enabled ?? true;
    this.breakers = new CircuitBreakers(breakerStore, this.clock, opts.breaker);
    this.accounting = new Accounting(counters, this.clock, opts.budgets, opts.onAlert);
    this.cooldowns = new Cooldowns(counters, this.clock);
    this.tiers = new TierLimiter(counters, opts.tiers ?? DEFAULT_TIERS, opts.defaultTier ?? Object.keys(opts.tiers ?? DEFAULT_TIERS)[0]);
    const b = opts.budgets;
    this.hasSoftBudgets = [b?.room, b?.tenant, ...Object.values(opts.tiers ?? DEFAULT_TIERS).map((t) => t.budget)].some((s) => s?.tokens?.soft !== undefined || s?.costUsd?.soft !== undefined);
  }

  /** Register the local handler of an operation (`*` for all). Deterministic, offline, free: the last link of every chain. */
  registerLocal<I = unknown, O = unknown>(operation: string, handler: LocalHandler<I, O>): void {
    this.local.register(operation, handler as LocalHandler);
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
    validateRequest(req);
    const preset = resolvePreset(req.operation, this.opts.presets, req.overrides);
    const t0 = now();
    const st: CallState = {
      requestId: `${this.idPrefix}-${++this.seq}`,
      t0,
      startedAt: this.clock.now(),
      deadlineAt: t0 + (req.deadlineMs ?? preset.deadlineMs),
      attempts: [],
      retries: 0,
      repairs: 0,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
      costUsd: 0,
      fallbackReason: undefined,
      refusal: undefined,
      lastError: undefined,
    };
    if (req.signal?.aborted) throw new CallAbortedError({ cause: req.signal.reason });
    const tenant = req.tenant ?? 'anonymous';
    const tierName = req.tier ?? this.opts.defaultTier;
    const jsonSchema = req.schema ? jsonSchemaOf(req.schema) : undefined;
    const useCache = this.cacheEnabled && preset.cacheable && preset.cacheTtlMs > 0;
    const key = useCache ? cacheKey({ operation: req.operation, messages: req.messages, schema: jsonSchema, temperature: preset.temperature, maxTokens: preset.maxTokens }) : '';

    if (useCache) {
      const hit = this.cache.get(key);
      const v = hit instanceof Promise ? await hit : hit;
      if (v !== undefined) {
        const c = v as { v: unknown; p: string; m: string };
        return this.finish(req, st, tenant, tierName, { provider: c.p, model: c.m, cached: true, outcome: 'ok', routing: 'cache hit' }, c.v as T, undefined);
      }
    }

    const prompt = renderPrompt(req.messages, this.token(), this.token(), this.opts.guard);
    const inputTokens = estimatePromptTokens(prompt.system, prompt.messages, jsonSchema ? JSON.stringify(jsonSchema) : '');
    const tierDef = tierName !== undefined ? this.tiers.tier(tierName) : undefined;
    const subject = this.subject(req, tenant, tierDef);
    const layer = preset.layer;

    let decision: RoutingDecision | undefined;
    let cloud = this.models.length > 0;
    if (cloud && tierName !== undefined && !this.tiers.cloudAllowed(tierName, layer)) {
      cloud = false;
      st.fallbackReason = `tier ${tierName}: no cloud calls for ${layer}`;
    }
    if (cloud && tierName !== undefined) {
      try {
        await this.tiers.take(req.player ?? tenant, tierName, layer, this.clock.now());
      } catch (e) {
        if (!(e instanceof LlmError)) throw e;
        cloud = false;
        st.refusal = e;
        st.fallbackReason = e.message;
      }
    }
    const callLimits = this.accounting.budgets.config.call;
    // The call's own token limit cuts the output allowance; a prompt that leaves too little is refused.
    const maxOut = Math.min(preset.maxTokens, (callLimits?.tokens?.hard ?? Infinity) - inputTokens);
    const callLevel = maxOut < Math.min(preset.minOutputTokens, preset.maxTokens) ? this.accounting.budgets.callLevel(inputTokens + preset.maxTokens, 0) : this.accounting.budgets.callLevel(inputTokens + maxOut, 0);
    if (cloud && callLevel.level === 'hard') {
      cloud = false;
      st.refusal = new BudgetExceededError('call', callLevel.metric ?? 'tokens', `${callLevel.detail ?? ''} (prompt ${inputTokens} tokens)`);
      st.fallbackReason = st.refusal.message;
    }
    if (cloud) {
      let routing: RoutingOptions = { ...this.opts.routing, ...req.routing };
      const maxCost = callLimits?.costUsd?.hard;
      if (maxCost !== undefined) routing = { ...routing, constraints: { ...routing.constraints, maxCostUsd: Math.min(maxCost, routing.constraints?.maxCostUsd ?? Infinity) } };
      const soft = this.hasSoftBudgets ? await this.accounting.softPassed(subject) : undefined;
      if (soft || callLevel.level === 'soft') {
        routing = { ...routing, strategy: 'cost' };
        this.log('warn', { tenant, room: req.room, operation: req.operation, budget: soft ?? 'call' }, 'soft budget passed: routing to the cheapest model');
      }
      const rreq = { inputTokens, maxTokens: maxOut, needsJson: req.schema !== undefined, needsStreaming: false };
      decision = this.router.route(rreq, routing);
      const softCost = callLimits?.costUsd?.soft;
      if (softCost !== undefined && routing.strategy !== 'cost' && (decision.chain[0]?.estCostUsd ?? 0) > softCost) decision = this.router.route(rreq, { ...routing, strategy: 'cost' });
      if (soft) decision = { ...decision, reason: `soft budget passed (${soft}); ${decision.reason}` };
      if (decision.chain.length === 0 && maxCost !== undefined && decision.excluded.some((e) => e.reason.includes('> max $'))) {
        st.refusal = new BudgetExceededError('call', 'cost', `every model's estimate > $${maxCost}`);
        st.fallbackReason = st.refusal.message;
      }
      for (const [k, link] of decision.chain.entries()) {
        if (now() >= st.deadlineAt - 1) {
          st.fallbackReason ??= 'deadline';
          break;
        }
        const out = await this.tryLink(req, st, link, prompt, jsonSchema, preset, inputTokens, maxOut, subject, tierDef?.alertDailyCostUsd);
        if (out.ok) {
          if (useCache) void this.cache.set(key, { v: out.value, p: link.provider, m: link.model }, preset.cacheTtlMs);
          return this.finish(req, st, tenant, tierName, { provider: link.provider, model: link.model, cached: false, outcome: 'ok', routing: decision.reason, fallback: k > 0 }, out.value as T, decision);
        }
        st.fallbackReason ??= `${link.id}: ${out.reason}`;
      }
    }

    // Last link: the local handler.
    const handler = this.local.handler(req.operation);
    if (handler && req.localFallback !== false) {
      const t = now();
      let value: unknown;
      try {
        value = await handler({ operation: req.operation, input: req.input, system: prompt.system, messages: prompt.messages, tenant, room: req.room, signal: req.signal });
      } catch (e) {
        st.attempts.push({ provider: 'local', model: req.operation, outcome: 'error', ms: now() - t });
        return this.fail(req, st, tenant, tierName, decision, new AllProvidersFailedError(this.failures(st, 'local handler threw'), { cause: e }));
      }
      if (req.schema) {
        const v = validateValue(value, req.schema);
        if (!v.ok) {
          st.attempts.push({ provider: 'local', model: req.operation, outcome: 'invalid_output', ms: now() - t });
          return this.fail(req, st, tenant, tierName, decision, new AllProvidersFailedError(this.failures(st, `local output invalid: ${v.error}`)));
        }
        value = v.value;
      } else if (typeof value !== 'string') value = JSON.stringify(value);
      st.attempts.push({ provider: 'local', model: req.operation, outcome: 'ok', ms: now() - t });
      const fallback = decision !== undefined && decision.chain.length > 0;
      return this.finish(req, st, tenant, tierName, { provider: 'local', model: req.operation, cached: false, outcome: 'ok', routing: decision?.reason ?? 'local only', fallback: fallback || st.fallbackReason !== undefined }, value as T, decision);
    }
    if (st.refusal) return this.fail(req, st, tenant, tierName, decision, st.refusal, 'refused');
    return this.fail(req, st, tenant, tierName, decision, new AllProvidersFailedError(this.failures(st, handler ? 'local fallback disabled' : 'no local handler'), { cause: st.lastError }));
  }

  /** Try one link with retries and one repair; never throws for provider failures (except a request-caused 4xx). */
  private async tryLink(
    req: CallRequest<unknown>,
    st: CallState,
    link: Candidate,
    prompt: GuardedPrompt,
    jsonSchema: Record<string, unknown> | undefined,
    preset: OperationPreset,
    inputTokens: number,
    maxOut: number,
    subject: BudgetSubject,
    alertUsd: number | undefined,
  ): Promise<LinkOutcome> {
    const model = this.byId.get(link.id) as ModelInfo;
    const adapter = this.adapters.get(model.provider) as ProviderAdapter;
    const unavailable = await this.unavailable(link.id);
    if (unavailable) {
      st.attempts.push({ provider: model.provider, model: model.model, outcome: `skipped:${unavailable.replace(' ', '_')}`, ms: 0 });
      return { ok: false, reason: unavailable };
    }
    let messages: readonly RenderedMessage[] = prompt.messages;
    let retries = 0;
    let repaired = false;
    for (;;) {
      const remaining = st.deadlineAt - now();
      if (remaining < 5) return { ok: false, reason: 'deadline' };
      const res = await this.accounting.reserve(model, inputTokens, maxOut, subject, alertUsd, preset.minOutputTokens);
      if (res instanceof LlmError) {
        st.refusal ??= res;
        st.attempts.push({ provider: model.provider, model: model.model, outcome: `skipped:${res.name}`, ms: 0 });
        return { ok: false, reason: res.message };
      }
      const preq: ProviderRequest = {
        model: model.model,
        system: prompt.system,
        messages,
        temperature: preset.temperature,
        maxTokens: res.maxTokens,
        timeoutMs: Math.max(1, Math.floor(Math.min(preset.timeoutMs, remaining))), // SDKs want whole ms
        ...(jsonSchema ? { jsonSchema: { name: safeName(req.operation), schema: jsonSchema } } : {}),
      };
      const t = now();
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(new DOMException('attempt timed out', 'TimeoutError')), preq.timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, ac.signal]) : ac.signal;
      let text: string | undefined;
      let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
      let err: ProviderError | undefined;
      try {
        const r = await adapter.complete(preq, signal);
        text = r.text;
        usage = r.usage;
      } catch (e) {
        err = e instanceof ProviderError ? e : new ProviderError({ provider: model.provider, model: model.model, kind: 'connection', message: this.redactor.text(String((e as Error)?.message ?? e)) }, { cause: e });
      } finally {
        clearTimeout(timer);
      }
      const ms = now() - t;
      const spent = await this.settle(res, model, usage, st);
      st.costUsd += spent;
      const paid = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cachedInputTokens: usage.cachedInputTokens, costUsd: spent };
      if (req.signal?.aborted) throw new CallAbortedError({ cause: req.signal.reason });
      if (err) {
        st.lastError = err;
        st.attempts.push({ provider: model.provider, model: model.model, outcome: err.kind, ms, ...paid });
        this.log('warn', { requestId: st.requestId, provider: model.provider, model: model.model, kind: err.kind, status: err.status }, this.redactor.text(err.message));
        if (err.kind === 'bad_request') throw err;
        await this.breakers.record(link.id, false);
        // A deployment that said when to come back rests that long; the call moves down the chain now.
        if (err.retryAfterMs !== undefined) {
          await this.coolDown(link.id, err.retryAfterMs);
          return { ok: false, reason: `${err.kind} (retry-after ${Math.round(err.retryAfterMs)} ms)` };
        }
        // A timeout used this link's share of the deadline: the next link gets what is left.
        if (err.kind === 'timeout') return { ok: false, reason: 'timeout' };
        if (!RETRY_KINDS.has(err.kind) || retries >= this.retry.maxRetries) return { ok: false, reason: err.kind };
        const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** retries) * (0.5 + 0.5 * this.rng.next());
        if (now() + delay >= st.deadlineAt - 5) return { ok: false, reason: `${err.kind} (no time left to retry)` };
        try {
          await this.sleep(delay, req.signal);
        } catch (e) {
          throw new CallAbortedError({ cause: e });
        }
        retries++;
        st.retries++;
        continue;
      }
      const checked = this.check(text as string, prompt, req.schema, preset);
      if (checked.ok) {
        st.attempts.push({ provider: model.provider, model: model.model, outcome: repaired ? 'repair_ok' : 'ok', ms, ...paid });
        await this.breakers.record(link.id, true);
        return { ok: true, value: checked.value, text: text as string };
      }
      st.attempts.push({ provider: model.provider, model: model.model, outcome: 'invalid_output', ms, ...paid });
      st.lastError = new ProviderError({ provider: model.provider, model: model.model, kind: 'invalid_output', message: checked.error });
      if (repaired || checked.error.startsWith('guard:')) {
        await this.breakers.record(link.id, false);
        return { ok: false, reason: `invalid_output (${checked.error.slice(0, 120)})` };
      }
      repaired = true;
      st.repairs++;
      messages = [...prompt.messages, { role: 'assistant', content: (text as string).slice(0, 2000) }, { role: 'user', content: repairMessage(checked.error) }];
    }
  }

  /** Who a call is accounted to. */
  private subject(req: { room?: string; player?: string; roomBudget?: BudgetScope }, tenant: string, tierDef: TierDefinition | undefined): BudgetSubject {
    return {
      tenant,
      room: req.room,
      ...(req.player !== undefined && { player: req.player }),
      ...(tierDef?.budget && { tierBudget: tierDef.budget }),
      ...(req.roomBudget && { roomBudget: req.roomBudget }),
    };
  }

  /** Why a link cannot be tried now (`circuit open`, `cooling down`), or undefined. */
  private async unavailable(linkId: string): Promise<string | undefined> {
    try {
      if (await this.cooldowns.cooling(linkId)) return 'cooling down';
    } catch {
      // the shared counters are unreachable: this process's own cooldowns still hold
    }
    return (await this.breakers.allow(linkId)) ? undefined : 'circuit open';
  }

  private async coolDown(linkId: string, ms: number): Promise<void> {
    try {
      await this.cooldowns.coolDown(linkId, ms);
    } catch (e) {
      this.log('warn', { link: linkId, error: this.redactor.text(String((e as Error)?.message)) }, 'sharing a cooldown failed (this process still keeps it)');
    }
  }

  /** Output checks: length bound, canary leak, JSON + schema. */
  private check(text: string, prompt: GuardedPrompt, schema: ZodType<unknown> | undefined, preset: OperationPreset): { ok: true; value: unknown } | { ok: false; error: string } {
    if (leaksCanary(text, prompt.canary)) return { ok: false, error: 'guard: reply repeats the confidential system marker (prompt leak / injection)' };
    if (text.length > preset.maxOutputChars) return { ok: false, error: `reply too long (${text.length} > ${preset.maxOutputChars} chars)` };
    if (!schema) return { ok: true, value: text };
    const r = parseStructured(text, schema);
    return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
  }

  private async settle(res: Reservation, model: ModelInfo, usage: Usage, st: CallState): Promise<number> {
    st.usage.inputTokens += usage.inputTokens;
    st.usage.outputTokens += usage.outputTokens;
    st.usage.cachedInputTokens += usage.cachedInputTokens;
    try {
      return await this.accounting.settle(res, model, usage);
    } catch (e) {
      this.log('warn', { error: this.redactor.text(String((e as Error)?.message)) }, 'settling a reservation failed');
      return 0;
    }
  }

  /**
   * Stream free text (NPC speech). Falls back to the next link only before the first chunk; the local
   * handler's string is the last link. Output is cut at the preset's `maxOutputChars`.
   */
  stream(req: Omit<CallRequest<string>, 'schema'>): LlmStream {
    let resolveResult!: (r: CallResult<string>) => void;
    let rejectResult!: (e: unknown) => void;
    const result = new Promise<CallResult<string>>((res, rej) => {
      resolveResult = res;
      rejectResult = rej;
    });
    result.catch(() => undefined);
    const self = this;
    async function* run(): AsyncGenerator<string> {
      try {
        const r = yield* self.streamChain(req);
        resolveResult(r);
      } catch (e) {
        rejectResult(e);
        throw e;
      }
    }
    const it = run();
    return { [Symbol.asyncIterator]: () => it, result };
  }

  private async *streamChain(req: Omit<CallRequest<string>, 'schema'>): AsyncGenerator<string, CallResult<string>> {
    validateRequest(req);
    const preset = resolvePreset(req.operation, this.opts.presets, req.overrides);
    const t0 = now();
    const st: CallState = {
      requestId: `${this.idPrefix}-${++this.seq}`, t0, startedAt: this.clock.now(), deadlineAt: t0 + (req.deadlineMs ?? preset.deadlineMs), attempts: [],
      retries: 0, repairs: 0, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, costUsd: 0, fallbackReason: undefined, refusal: undefined, lastError: undefined,
    };
    const tenant = req.tenant ?? 'anonymous';
    const tierName = req.tier ?? this.opts.defaultTier;
    const prompt = renderPrompt(req.messages, this.token(), this.token(), this.opts.guard);
    const inputTokens = estimatePromptTokens(prompt.system, prompt.messages);
    const tierDef = tierName !== undefined ? this.tiers.tier(tierName) : undefined;
    const subject = this.subject(req, tenant, tierDef);
    let cloud = this.models.length > 0 && (tierName === undefined || this.tiers.cloudAllowed(tierName, preset.layer));
    if (cloud && tierName !== undefined) {
      try {
        await this.tiers.take(req.player ?? tenant, tierName, preset.layer, this.clock.now());
      } catch (e) {
        if (!(e instanceof LlmError)) throw e;
        cloud = false;
        st.refusal = e;
        st.fallbackReason = e.message;
      }
    }
    const maxOut = Math.min(preset.maxTokens, (this.accounting.budgets.config.call?.tokens?.hard ?? Infinity) - inputTokens);
    if (cloud && maxOut < Math.min(preset.minOutputTokens, preset.maxTokens)) {
      cloud = false;
      st.refusal = new BudgetExceededError('call', 'tokens', `prompt ${inputTokens} tokens leaves no room for ${preset.minOutputTokens} output tokens`);
      st.fallbackReason = st.refusal.message;
    }
    const decision = cloud ? this.router.route({ inputTokens, maxTokens: maxOut, needsJson: false, needsStreaming: true }, { ...this.opts.routing, ...req.routing }) : undefined;
    for (const [k, link] of (decision?.chain ?? []).entries()) {
      const model = this.byId.get(link.id) as ModelInfo;
      const unavailable = await this.unavailable(link.id);
      if (unavailable) {
        st.attempts.push({ provider: model.provider, model: model.model, outcome: `skipped:${unavailable.replace(' ', '_')}`, ms: 0 });
        st.fallbackReason ??= `${link.id}: ${unavailable}`;
        continue;
      }
      const res = await this.accounting.reserve(model, inputTokens, maxOut, subject, tierDef?.alertDailyCostUsd, preset.minOutputTokens);
      if (res instanceof LlmError) {
        st.refusal ??= res;
        st.fallbackReason ??= `${link.id}: ${res.message}`;
        continue;
      }
      const remaining = Math.max(1, Math.floor(Math.min(preset.timeoutMs, st.deadlineAt - now()))); // SDKs want whole ms
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(new DOMException('attempt timed out', 'TimeoutError')), remaining);
      const signal = req.signal ? AbortSignal.any([req.signal, ac.signal]) : ac.signal;
      const t = now();
      let text = '';
      let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
      try {
        for await (const ev of (this.adapters.get(model.provider) as ProviderAdapter).stream({ model: model.model, system: prompt.system, messages: prompt.messages, temperature: preset.temperature, maxTokens: res.maxTokens, timeoutMs: remaining }, signal)) {
          if (ev.type === 'done') {
            usage = ev.usage;
            continue;
          }
          let chunk = ev.text;
          if (text.length + chunk.length > preset.maxOutputChars) chunk = chunk.slice(0, Math.max(0, preset.maxOutputChars - text.length));
          text += chunk;
          if (leaksCanary(text, prompt.canary)) throw new ProviderError({ provider: model.provider, model: model.model, kind: 'invalid_output', message: 'guard: reply repeats the confidential system marker' });
          if (chunk) yield chunk;
          if (text.length >= preset.maxOutputChars) {
            ac.abort(new DOMException('output bound reached', 'AbortError'));
            break;
          }
        }
      } catch (e) {
        clearTimeout(timer);
        const err = e instanceof ProviderError ? e : new ProviderError({ provider: model.provider, model: model.model, kind: 'connection', message: this.redactor.text(String((e as Error)?.message ?? e)) }, { cause: e });
        const spent = await this.settle(res, model, usage, st);
        st.costUsd += spent;
        st.attempts.push({ provider: model.provider, model: model.model, outcome: err.kind, ms: now() - t, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cachedInputTokens: usage.cachedInputTokens, costUsd: spent });
        if (req.signal?.aborted) throw new CallAbortedError({ cause: req.signal.reason });
        if (err.kind !== 'bad_request') await this.breakers.record(link.id, false);
        if (err.retryAfterMs !== undefined) await this.coolDown(link.id, err.retryAfterMs);
        if (text.length > 0 || err.kind === 'bad_request') return this.fail(req, st, tenant, tierName, decision, err);
        st.lastError = err;
        st.fallbackReason ??= `${link.id}: ${err.kind}`;
        continue;
      }
      clearTimeout(timer);
      const spent = await this.settle(res, model, usage, st);
      st.costUsd += spent;
      st.attempts.push({ provider: model.provider, model: model.model, outcome: 'ok', ms: now() - t, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cachedInputTokens: usage.cachedInputTokens, costUsd: spent });
      await this.breakers.record(link.id, true);
      return this.finish(req, st, tenant, tierName, { provider: model.provider, model: model.model, cached: false, outcome: 'ok', routing: decision?.reason ?? '', fallback: k > 0 }, text, decision);
    }
    const handler = this.local.handler(req.operation);
    if (!handler || req.localFallback === false) {
      return this.fail(req, st, tenant, tierName, decision, st.refusal ?? new AllProvidersFailedError(this.failures(st, 'no local handler'), { cause: st.lastError }), st.refusal ? 'refused' : 'error');
    }
    const v = await handler({ operation: req.operation, input: req.input, system: prompt.system, messages: prompt.messages, tenant, room: req.room, signal: req.signal });
    const text = (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, preset.maxOutputChars);
    st.attempts.push({ provider: 'local', model: req.operation, outcome: 'ok', ms: 0 });
    yield text;
    return this.finish(req, st, tenant, tierName, { provider: 'local', model: req.operation, cached: false, outcome: 'ok', routing: decision?.reason ?? 'local only', fallback: (decision?.chain.length ?? 0) > 0 || st.fallbackReason !== undefined }, text, decision);
  }

  private finish<T>(
    req: CallRequest<T> | Omit<CallRequest<string>, 'schema'>,
    st: CallState,
    tenant: string,
    tier: string | undefined,
    how: { provider: string; model: string; cached: boolean; outcome: 'ok'; routing: string; fallback?: boolean },
    value: T,
    decision: RoutingDecision | undefined,
  ): CallResult<T> {
    const record = this.makeRecord(req, st, tenant, tier, how.provider, how.model, how.cached, how.fallback ?? false, 'ok', undefined, how.routing);
    this.recordCall(record);
    return { value, provider: how.provider, model: how.model, cached: how.cached, record, decision };
  }

  private fail(
    req: CallRequest<unknown> | Omit<CallRequest<string>, 'schema'>,
    st: CallState,
    tenant: string,
    tier: string | undefined,
    decision: RoutingDecision | undefined,
    error: LlmError,
    outcome: 'error' | 'refused' = 'error',
  ): never {
    const record = this.makeRecord(req, st, tenant, tier, 'none', 'none', false, st.fallbackReason !== undefined, outcome, this.redactor.text(error.message), decision?.reason ?? '');
    this.recordCall(record);
    throw error;
  }

  private makeRecord(
    req: { operation: string; room?: string; player?: string },
    st: CallState,
    tenant: string,
    tier: string | undefined,
    provider: string,
    model: string,
    cached: boolean,
    fallbackUsed: boolean,
    outcome: CallRecord['outcome'],
    error: string | undefined,
    routing: string,
  ): CallRecord {
    return {
      requestId: st.requestId,
      startedAt: st.startedAt,
      operation: req.operation,
      tenant,
      ...(req.player !== undefined && { player: req.player }),
      room: req.room,
      tier: tier ?? 'none',
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
      routing: this.redactor.text(routing),
      attempts: st.attempts,
    };
  }

  private recordCall(r: CallRecord): void {
    this.telemetry.record(r);
  }

  private failures(st: CallState, last: string): { link: string; reason: string }[] {
    const out = st.attempts.filter((a) => a.outcome !== 'ok').map((a) => ({ link: `${a.provider}:${a.model}`, reason: a.outcome }));
    out.push({ link: 'local', reason: last });
    return out;
  }

  private token(): string {
    return Math.floor(this.rng.next() * 2 ** 52).toString(36).padStart(10, '0');
  }

  private log(level: 'warn' | 'debug', obj: object, msg: string): void {
    this.opts.logger?.[level](obj, this.redactor.text(msg));
  }
}

function safeName(op: string): string {
  return op.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'output';
}
