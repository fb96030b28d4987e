import { isSpanContextValid, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span, TimeInput, Tracer } from '@opentelemetry/api';

/** Instrumentation scope of every span this project makes. */
export const TRACER_NAME = 'lairmind';

/**
 * What a caller hands on so that the spans of the work it starts hang off their cause (`CallRequest.trace`, and the
 * batch context a room gives a mind). Both fields are OpenTelemetry values.
 */
export interface TraceCarrier {
  /** A context whose span is the parent of the work's first span (e.g. the ask that makes a gateway call). */
  readonly parent?: Context;
  /**
   * Spans that caused the work without being its parent: batched or decoupled work (a tick that asked, a batch the
   * request travelled in) is linked, not nested, so a slow call does not stretch the trace of the tick that made it.
   */
  readonly links?: readonly Link[];
}

/**
 * Whether spans are made, decided once: a tracer provider registered with the OpenTelemetry API means on. The
 * answer is cached because the API's no-op path still allocates a span per `startSpan`; with tracing off every
 * helper here returns `undefined` after one field read. This mirrors the API's own process-wide registration,
 * which is why it is the one piece of module state in `llm/`.
 */
class TracingSwitch {
  private tracer: Tracer | undefined;
  private checked = false;

  current(): Tracer | undefined {
    if (!this.checked) this.refresh();
    return this.tracer;
  }

  refresh(): Tracer | undefined {
    this.tracer = tracerProviderRegistered() ? trace.getTracer(TRACER_NAME) : undefined;
    this.checked = true;
    return this.tracer;
  }
}

const SWITCH = new TracingSwitch();

/**
 * Whether a tracer provider (an SDK) is registered with the OpenTelemetry API. Probes with a span that is never
 * ended, so never exported: the API's no-op tracer gives an invalid span context, any SDK a valid one (also when
 * its sampler drops the span).
 */
export function tracerProviderRegistered(): boolean {
  return isSpanContextValid(trace.getTracer(TRACER_NAME).startSpan('lairmind.probe', { root: true }, ROOT_CONTEXT).spanContext());
}

/** The tracer when tracing is on, else undefined (the cached answer; see {@link refreshTracing}). */
export function activeTracer(): Tracer | undefined {
  return SWITCH.current();
}

/**
 * Check again whether a tracer provider is registered, after registering or replacing one (the server calls it at
 * start-up). Returns the tracer when tracing is on.
 */
export function refreshTracing(): Tracer | undefined {
  return SWITCH.refresh();
}

/** Options of {@link startSpan}. */
export interface SpanStart {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The parent; absent ⇒ the span starts a trace of its own. */
  readonly parent?: Context;
  readonly links?: readonly Link[];
  /** Start time (epoch ms, `performance.now()` ms, or HrTime); default now. */
  readonly startTime?: TimeInput;
}

/** Start a span when tracing is on; `undefined` (and nothing allocated) when it is off. */
export function startSpan(name: string, o: SpanStart = {}): Span | undefined {
  const tracer = SWITCH.current();
  if (!tracer) return undefined;
  return tracer.startSpan(name, spanOptions(o), o.parent ?? ROOT_CONTEXT);
}

/** Span options from {@link SpanStart} without the fields left unset. */
function spanOptions(o: SpanStart): { kind?: SpanKind; attributes?: Attributes; links?: Link[]; startTime?: TimeInput; root?: boolean } {
  return {
    ...(o.kind !== undefined && { kind: o.kind }),
    ...(o.attributes && { attributes: o.attributes }),
    ...(o.links?.length && { links: [...o.links] }),
    ...(o.startTime !== undefined && { startTime: o.startTime }),
    ...(!o.parent && { root: true }),
  };
}

/** How a span ended. */
export interface SpanEnd {
  readonly attributes?: Attributes;
  /** Marks the span failed (status ERROR, `error.type`); a string is the error type itself. */
  readonly error?: unknown;
  readonly endTime?: TimeInput;
}

/** End a span (no-op on undefined), with closing attributes and, on failure, status ERROR and `error.type`. */
export function endSpan(span: Span | undefined, o: SpanEnd = {}): void {
  if (!span) return;
  if (o.attributes) span.setAttributes(o.attributes);
  if (o.error !== undefined) {
    const type = errorType(o.error);
    span.setAttribute('error.type', type);
    span.setStatus({ code: SpanStatusCode.ERROR, message: o.error instanceof Error ? o.error.message.slice(0, 200) : type });
  }
  span.end(o.endTime);
}

/** A short, low-cardinality name for an error: a failure kind, else the error class. */
function errorType(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const kind = (e as { kind?: unknown }).kind;
    if (typeof kind === 'string') return kind;
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string' && name) return name;
  }
  return '_OTHER';
}

/** A context with `span` as its active span: what a callee's spans take as `parent`. */
export function contextWith(span: Span): Context {
  return trace.setSpan(ROOT_CONTEXT, span);
}

/** A link to `span` (with optional attributes saying what it is, e.g. `{ 'lairmind.link': 'tick' }`). */
export function linkTo(span: Span, attributes?: Attributes): Link {
  return attributes ? { context: span.spanContext(), attributes } : { context: span.spanContext() };
}

/** A {@link TraceCarrier} from an untyped value (a mind's batch context), or undefined when it is not one. */
export function asTraceCarrier(x: unknown): TraceCarrier | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const c = x as { parent?: unknown; links?: unknown };
  const parentOk = c.parent === undefined || (typeof c.parent === 'object' && c.parent !== null && typeof (c.parent as Context).getValue === 'function');
  const linksOk = c.links === undefined || (Array.isArray(c.links) && c.links.every((l: { context?: unknown }) => l && typeof l === 'object' && typeof l.context === 'object'));
  return parentOk && linksOk ? (x as TraceCarrier) : undefined;
}

// ---- The gateway's spans (OpenTelemetry GenAI semantic conventions, "Development" status) ----

/** `gen_ai.provider.name` for a provider's SDK kind; other names pass through. */
const GEN_AI_PROVIDER: Readonly<Record<string, string>> = { openai: 'openai', anthropic: 'anthropic', gemini: 'gcp.gemini' };

/** What the gateway knows of a call when it starts. All optional; never prompt text, player names or keys. */
export interface CallSpanAttributes {
  readonly tenant?: string;
  readonly room?: string;
  readonly tier?: string;
  /** Priority class in the gateway's queue (`tactics`, `dialogue`, `background`). */
  readonly priority?: string;
  /** Streamed reply. */
  readonly stream?: boolean;
}

/**
 * The span of one gateway call, from admission to the answer (queue wait, attempts, repairs and fallback inside it):
 * `llm {operation}`, kind INTERNAL. Its parent is `trace.parent` (the caller's span, e.g. a coordinator's ask) and
 * it carries `trace.links`; without a parent it starts a trace. Undefined when tracing is off.
 */
export function startCallSpan(operation: string, attrs: CallSpanAttributes = {}, carrier?: TraceCarrier): Span | undefined {
  const tracer = SWITCH.current();
  if (!tracer) return undefined;
  const attributes: Attributes = { 'lairmind.llm.operation': operation };
  if (attrs.tenant !== undefined) attributes['lairmind.tenant'] = attrs.tenant;
  if (attrs.room !== undefined) attributes['lairmind.room.id'] = attrs.room;
  if (attrs.tier !== undefined) attributes['lairmind.tier'] = attrs.tier;
  if (attrs.priority !== undefined) attributes['lairmind.llm.priority'] = attrs.priority;
  if (attrs.stream !== undefined) attributes['lairmind.llm.stream'] = attrs.stream;
  return tracer.startSpan(`llm ${operation}`, spanOptions({ kind: SpanKind.INTERNAL, attributes, ...(carrier?.parent && { parent: carrier.parent }), ...(carrier?.links && { links: carrier.links }) }), carrier?.parent ?? ROOT_CONTEXT);
}

/** How a call ended. */
export interface CallSpanResult {
  /** `cloud` (a provider answered), `cached`, `local` (the local handler answered), `refused`, `error`. */
  readonly outcome: string;
  readonly provider?: string;
  readonly model?: string;
  /** What the whole call spent, USD. */
  readonly costUsd?: number;
  /** Why the gateway moved on from the first link, if it did (no prompt text). */
  readonly fallbackReason?: string;
  readonly error?: unknown;
}

/** End a call span with its outcome, who answered and what it cost. No-op on undefined. */
export function endCallSpan(span: Span | undefined, r: CallSpanResult): void {
  if (!span) return;
  const attributes: Attributes = { 'lairmind.outcome': r.outcome };
  if (r.provider !== undefined) attributes['lairmind.llm.provider'] = r.provider;
  if (r.model !== undefined) attributes['lairmind.llm.model'] = r.model;
  if (r.costUsd !== undefined) attributes['lairmind.cost_usd'] = r.costUsd;
  if (r.fallbackReason !== undefined) attributes['lairmind.llm.fallback_reason'] = r.fallbackReason.slice(0, 200);
  endSpan(span, { attributes, ...(r.error !== undefined && { error: r.error }) });
}

/** The time a call waits in the gateway's queue for a slot: `llm queue wait`, child of the call span. */
export function startQueueWaitSpan(call: Span | undefined, attrs: { readonly priority?: string; readonly provider?: string; readonly depth?: number } = {}): Span | undefined {
  if (!call) return undefined;
  const tracer = SWITCH.current();
  if (!tracer) return undefined;
  const attributes: Attributes = {};
  if (attrs.priority !== undefined) attributes['lairmind.llm.priority'] = attrs.priority;
  if (attrs.provider !== undefined) attributes['lairmind.llm.provider'] = attrs.provider;
  if (attrs.depth !== undefined) attributes['lairmind.llm.queue_depth'] = attrs.depth;
  return tracer.startSpan('llm queue wait', { kind: SpanKind.INTERNAL, attributes }, contextWith(call));
}

/** End a queue-wait span: `started` (got a slot), `expired` (its deadline passed first), `aborted`. */
export function endQueueWaitSpan(span: Span | undefined, outcome: 'started' | 'expired' | 'aborted'): void {
  endSpan(span, { attributes: { 'lairmind.outcome': outcome }, ...(outcome !== 'started' && { error: outcome }) });
}

/** Request settings of one attempt. */
export interface AttemptSpanAttributes {
  /** `gen_ai.operation.name` (default `chat`). */
  readonly operationName?: string;
  /** The provider's SDK kind when the registry name is another (a proxy of kind `openai`). */
  readonly providerKind?: string;
  /** 1 for the first try of a link, 2 for its first retry… */
  readonly attempt?: number;
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** A repair attempt after invalid output. */
  readonly repair?: boolean;
}

/**
 * One attempt against one model: `{gen_ai.operation.name} {model}` (e.g. `chat gpt-4o-mini`), kind CLIENT, child of
 * the call span, with `gen_ai.provider.name` and `gen_ai.request.model`. Undefined when tracing is off or `call` is.
 */
export function startAttemptSpan(call: Span | undefined, provider: string, model: string, attrs: AttemptSpanAttributes = {}): Span | undefined {
  if (!call) return undefined;
  const tracer = SWITCH.current();
  if (!tracer) return undefined;
  const op = attrs.operationName ?? 'chat';
  const kind = attrs.providerKind ?? provider;
  const attributes: Attributes = {
    'gen_ai.operation.name': op,
    'gen_ai.provider.name': GEN_AI_PROVIDER[kind] ?? kind,
    'gen_ai.request.model': model,
    'lairmind.llm.provider': provider,
  };
  if (attrs.attempt !== undefined) attributes['lairmind.llm.attempt'] = attrs.attempt;
  if (attrs.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = attrs.maxTokens;
  if (attrs.temperature !== undefined) attributes['gen_ai.request.temperature'] = attrs.temperature;
  if (attrs.repair !== undefined) attributes['lairmind.llm.repair'] = attrs.repair;
  return tracer.startSpan(`${op} ${model}`, { kind: SpanKind.CLIENT, attributes }, contextWith(call));
}

/** What an attempt spent and how it went. */
export interface AttemptSpanResult {
  /** Tokens the provider reported (absent when nothing was sent or it reported none). */
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** What this attempt cost, USD. */
  readonly costUsd?: number;
  /** `ok`, or the failure kind (`rate_limit`, `server`, `timeout`, `connection`, `invalid_output`, `bad_request`, `auth`). */
  readonly outcome: string;
  /** The model that answered, when the provider names it (`gen_ai.response.model`). */
  readonly responseModel?: string;
  /** Why generation stopped (`stop`, `length`, …). */
  readonly finishReason?: string;
  /** The error, when the attempt failed (its kind becomes `error.type`); default: the outcome when it is not `ok`. */
  readonly error?: unknown;
}

/** End an attempt span with tokens (`gen_ai.usage.*`), `lairmind.cost_usd` and `lairmind.outcome`. No-op on undefined. */
export function endAttemptSpan(span: Span | undefined, r: AttemptSpanResult): void {
  if (!span) return;
  const attributes: Attributes = { 'lairmind.outcome': r.outcome };
  if (r.inputTokens !== undefined) attributes['gen_ai.usage.input_tokens'] = r.inputTokens;
  if (r.outputTokens !== undefined) attributes['gen_ai.usage.output_tokens'] = r.outputTokens;
  if (r.costUsd !== undefined) attributes['lairmind.cost_usd'] = r.costUsd;
  if (r.responseModel !== undefined) attributes['gen_ai.response.model'] = r.responseModel;
  if (r.finishReason !== undefined) attributes['gen_ai.response.finish_reasons'] = [r.finishReason];
  const error = r.error ?? (r.outcome === 'ok' ? undefined : r.outcome);
  endSpan(span, { attributes, ...(error !== undefined && { error }) });
}
