import type { ZodType } from 'zod';
import { CallAbortedError, LlmError, ProviderError, RETRY_KINDS } from '../errors.ts';
import { leaksCanary } from '../guard.ts';
import type { GuardedPrompt } from '../guard.ts';
import type { OperationPreset } from '../presets.ts';
import type { ModelInfo } from '../registry.ts';
import type { Candidate } from '../router.ts';
import { parseStructured, repairMessage } from '../structured.ts';
import { endAttemptSpan, endQueueWaitSpan, startAttemptSpan, startQueueWaitSpan } from '../tracing.ts';
import type { ProviderAdapter, ProviderRequest, RenderedMessage, Usage } from '../types.ts';
import type { CallContext } from './callContext.ts';
import { now } from './parts.ts';
import type { GatewayParts } from './parts.ts';
import { settleStep } from './settleStep.ts';

/** How one link ended: a value, a reason to move on, or an error that ends the call (`fatal`). */
export type LinkOutcome =
  | { readonly ok: true; readonly value: unknown; readonly text: string }
  | { readonly ok: false; readonly reason: string; readonly fatal?: LlmError };

/** Why a link cannot be tried now (`cooling down`, `circuit open`), or undefined. */
async function unavailable(g: GatewayParts, linkId: string): Promise<string | undefined> {
  try {
    if (await g.cooldowns.cooling(linkId)) return 'cooling down';
  } catch {
    // the shared counters are unreachable: this process's own cooldowns still hold
  }
  return (await g.breakers.allow(linkId)) ? undefined : 'circuit open';
}

async function coolDown(g: GatewayParts, linkId: string, ms: number): Promise<void> {
  try {
    await g.cooldowns.coolDown(linkId, ms);
  } catch (e) {
    g.log('warn', { link: linkId, error: g.redactor.text(String((e as Error)?.message)) }, 'sharing a cooldown failed (this process still keeps it)');
  }
}

/**
 * With Redis, a deployment-wide lease on one of the provider's slots (the queue's cap held by all processes
 * together), polled until the call's deadline. Without Redis, or while it is unreachable, the process's own cap is
 * the bound. Resolves undefined when no slot came in time.
 */
async function sharedSlot(g: GatewayParts, c: CallContext, provider: string): Promise<{ release(): void } | undefined> {
  const cap = g.queue.cap(provider);
  const store = g.sharedSlots;
  const none = { release: () => undefined };
  if (!store || cap === undefined) return none;
  const leaseMs = c.preset.timeoutMs + 5_000;
  for (let n = 0; ; n++) {
    const id = `${c.st.requestId}:${n}`;
    try {
      if (await store.take(provider, cap, leaseMs, id, Date.now())) return { release: () => void store.give(provider, id).catch(() => undefined) };
    } catch {
      return none; // Redis unreachable: this process's cap still holds
    }
    const left = c.st.deadlineAt - now() - 5;
    if (left <= 0) return undefined;
    await pause(Math.min(left, 10 + 20 * g.rng.next()), c.signal);
  }
}

/** A real timer (the injected sleep is for backoff), cut short by the call's abort. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CallAbortedError({ cause: signal.reason }));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new CallAbortedError({ cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Output checks: canary leak, length bound, JSON + schema. */
function check(text: string, prompt: GuardedPrompt, schema: ZodType<unknown> | undefined, preset: OperationPreset): { ok: true; value: unknown } | { ok: false; error: string } {
  if (leaksCanary(text, prompt.canary)) return { ok: false, error: 'guard: reply repeats the confidential system marker (prompt leak / injection)' };
  if (text.length > preset.maxOutputChars) return { ok: false, error: `reply too long (${text.length} > ${preset.maxOutputChars} chars)` };
  if (!schema) return { ok: true, value: text };
  const r = parseStructured(text, schema);
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
}

/** The provider's answer to one attempt: the whole reply, or (stream mode) the chunks as they come, sent to the sink. */
async function send(c: CallContext, model: ModelInfo, adapter: ProviderAdapter, preq: ProviderRequest, signal: AbortSignal, ac: AbortController, progress: { text: string; usage: Usage }): Promise<void> {
  if (!c.sink) {
    const r = await adapter.complete(preq, signal);
    progress.text = r.text;
    progress.usage = r.usage;
    return;
  }
  const max = c.preset.maxOutputChars;
  for await (const ev of adapter.stream(preq, signal)) {
    if (ev.type === 'done') {
      progress.usage = ev.usage;
      continue;
    }
    let chunk = ev.text;
    if (progress.text.length + chunk.length > max) chunk = chunk.slice(0, Math.max(0, max - progress.text.length));
    progress.text += chunk;
    if (leaksCanary(progress.text, c.prompt.canary)) throw new ProviderError({ provider: model.provider, model: model.model, kind: 'invalid_output', message: 'guard: reply repeats the confidential system marker' });
    if (chunk) c.sink(chunk);
    if (progress.text.length >= max) {
      ac.abort(new DOMException('output bound reached', 'AbortError'));
      break;
    }
  }
}

/**
 * Attempt step: one link of the chain, with retries on the same model and one repair of invalid structured output.
 * Skips a link whose breaker is open or whose deployment is resting; reserves the worst case in every budget before
 * sending; settles with the reported usage after. A timeout or a Retry-After moves to the next link at once (the
 * deployment then rests for the time it asked). In stream mode the call can move on only before the first chunk.
 * Never throws for a provider failure, except a request-caused 4xx or a caller's abort.
 */
export async function attemptStep(g: GatewayParts, c: CallContext, link: Candidate): Promise<LinkOutcome> {
  const model = g.byId.get(link.id) as ModelInfo;
  const adapter = g.adapters.get(model.provider) as ProviderAdapter;
  const st = c.st;
  const why = await unavailable(g, link.id);
  if (why) {
    st.attempts.push({ provider: model.provider, model: model.model, outcome: `skipped:${why.replace(' ', '_')}`, ms: 0 });
    return { ok: false, reason: why };
  }
  let messages: readonly RenderedMessage[] = c.prompt.messages;
  let retries = 0;
  let repaired = false;
  for (;;) {
    if (st.deadlineAt - now() < 5) return { ok: false, reason: 'deadline' };
    // Queue step: a slot under the provider's concurrency cap, by priority, rooms taking turns.
    const tq = now();
    const waitSpan = startQueueWaitSpan(c.span, { priority: c.preset.priority, provider: model.provider, depth: g.queue.depth(c.preset.priority, model.provider) });
    let slot;
    try {
      const pending = g.queue.acquire(model.provider, c.preset.priority, c.req.room ?? c.tenant, st.deadlineAt - now() - 5, c.signal);
      slot = pending instanceof Promise ? await pending : pending;
    } catch (e) {
      endQueueWaitSpan(waitSpan, 'aborted');
      throw e;
    }
    if (!slot) endQueueWaitSpan(waitSpan, 'expired');
    if (!slot) {
      st.attempts.push({ provider: model.provider, model: model.model, outcome: 'skipped:queue', ms: 0, queueMs: now() - tq });
      return { ok: false, reason: 'no slot before the deadline (queue)' };
    }
    const lease = await sharedSlot(g, c, model.provider);
    endQueueWaitSpan(waitSpan, lease ? 'started' : 'expired');
    if (!lease) {
      slot.release();
      st.attempts.push({ provider: model.provider, model: model.model, outcome: 'skipped:queue', ms: 0, queueMs: now() - tq });
      return { ok: false, reason: 'no slot before the deadline (queue, deployment-wide)' };
    }
    const release = (): void => {
      slot.release();
      lease.release();
    };
    const waited = now() - tq;
    const queued = waited >= 0.05 ? { queueMs: waited } : {};
    const remaining = st.deadlineAt - now();
    const res = await g.accounting.reserve(model, c.counted ? c.counted.of(model) : c.inputTokens, c.maxOut, c.subject, c.tierDef?.alertDailyCostUsd, c.preset.minOutputTokens);
    if (res instanceof LlmError) {
      release();
      st.refusal ??= res;
      st.attempts.push({ provider: model.provider, model: model.model, outcome: `skipped:${res.name}`, ms: 0, ...queued });
      return { ok: false, reason: res.message };
    }
    const preq: ProviderRequest = {
      model: model.model,
      system: c.prompt.system,
      messages,
      temperature: c.preset.temperature,
      maxTokens: res.maxTokens,
      timeoutMs: Math.max(1, Math.floor(Math.min(c.preset.timeoutMs, remaining))), // SDKs want whole ms
      ...(c.jsonSchema ? { jsonSchema: { name: safeName(c.req.operation), schema: c.jsonSchema } } : {}),
    };
    const t = now();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new DOMException('attempt timed out', 'TimeoutError')), preq.timeoutMs);
    const signal = c.signal ? AbortSignal.any([c.signal, ac.signal]) : ac.signal;
    const progress = { text: '', usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } as Usage };
    const attemptSpan = startAttemptSpan(c.span, model.provider, model.model, { attempt: retries + 1, maxTokens: res.maxTokens, temperature: c.preset.temperature, repair: repaired });
    let err: ProviderError | undefined;
    try {
      await send(c, model, adapter, preq, signal, ac, progress);
    } catch (e) {
      err = e instanceof ProviderError ? e : new ProviderError({ provider: model.provider, model: model.model, kind: 'connection', message: g.redactor.text(String((e as Error)?.message ?? e)) }, { cause: e });
    } finally {
      clearTimeout(timer);
      release();
    }
    const ms = now() - t;
    const usage = progress.usage;
    const spent = await settleStep(g, c, res, model, usage);
    endAttemptSpan(attemptSpan, { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: spent, outcome: err ? err.kind : 'ok', ...(err && { error: err }) });
    const paid = { ...queued, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cachedInputTokens: usage.cachedInputTokens, costUsd: spent };
    if (c.signal?.aborted) throw new CallAbortedError({ cause: c.signal.reason });
    const streamed = progress.text.length > 0 && c.sink !== undefined;
    if (err) g.liveStats.record(link.id, { ok: false, latencyMs: ms, errorKind: err.kind, at: g.clock.now() });
    if (err) {
      st.lastError = err;
      st.attempts.push({ provider: model.provider, model: model.model, outcome: err.kind, ms, ...paid });
      g.log('warn', { requestId: st.requestId, provider: model.provider, model: model.model, kind: err.kind, status: err.status }, g.redactor.text(err.message));
      if (err.kind === 'bad_request') return { ok: false, reason: err.kind, fatal: err };
      await g.breakers.record(link.id, false);
      if (err.retryAfterMs !== undefined) await coolDown(g, link.id, err.retryAfterMs);
      // Chunks already reached the listener: the reply cannot start again elsewhere.
      if (streamed) return { ok: false, reason: err.kind, fatal: err };
      if (err.retryAfterMs !== undefined) return { ok: false, reason: `${err.kind} (retry-after ${Math.round(err.retryAfterMs)} ms)` };
      // A timeout used this link's share of the deadline: the next link gets what is left.
      if (err.kind === 'timeout') return { ok: false, reason: 'timeout' };
      if (!RETRY_KINDS.has(err.kind) || retries >= g.retry.maxRetries) return { ok: false, reason: err.kind };
      const delay = Math.min(g.retry.maxDelayMs, g.retry.baseDelayMs * 2 ** retries) * (0.5 + 0.5 * g.rng.next());
      if (now() + delay >= st.deadlineAt - 5) return { ok: false, reason: `${err.kind} (no time left to retry)` };
      try {
        await g.sleep(delay, c.signal);
      } catch (e) {
        throw new CallAbortedError({ cause: e });
      }
      retries++;
      st.retries++;
      // The failure may have opened the breaker (or another process's did): then the retry does not go.
      const now2 = await unavailable(g, link.id);
      if (now2) return { ok: false, reason: `${err.kind}, then ${now2}` };
      continue;
    }
    const checked = check(progress.text, c.prompt, c.schema, c.preset);
    g.liveStats.record(link.id, checked.ok ? { ok: true, latencyMs: ms, at: g.clock.now() } : { ok: false, latencyMs: ms, errorKind: 'invalid_output', at: g.clock.now() });
    if (checked.ok) {
      st.attempts.push({ provider: model.provider, model: model.model, outcome: repaired ? 'repair_ok' : 'ok', ms, ...paid });
      await g.breakers.record(link.id, true);
      return { ok: true, value: checked.value, text: progress.text };
    }
    st.attempts.push({ provider: model.provider, model: model.model, outcome: 'invalid_output', ms, ...paid });
    const invalid = new ProviderError({ provider: model.provider, model: model.model, kind: 'invalid_output', message: checked.error });
    st.lastError = invalid;
    if (repaired || streamed || checked.error.startsWith('guard:')) {
      await g.breakers.record(link.id, false);
      if (streamed) return { ok: false, reason: 'invalid_output', fatal: invalid };
      return { ok: false, reason: `invalid_output (${checked.error.slice(0, 120)})` };
    }
    repaired = true;
    st.repairs++;
    messages = [...c.prompt.messages, { role: 'assistant', content: progress.text.slice(0, 2000) }, { role: 'user', content: repairMessage(checked.error) }];
  }
}

function safeName(op: string): string {
  return op.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'output';
}
