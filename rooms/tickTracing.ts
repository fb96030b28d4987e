import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Link, Span, Tracer } from '@opentelemetry/api';
import type { MindRequest, ReplyInput } from '../actors/index.ts';

/**
 * Which ticks get a span. `asks`: the ticks that send the coordinator's asks (the LLM work a trace follows) and the
 * ticks that overrun their budget (a span made after the fact). `all`: every tick, for profiling a room.
 */
export const TRACE_TICKS = ['asks', 'all'] as const;
export type TraceTicks = (typeof TRACE_TICKS)[number];

/** Ports whose requests make a tick worth a span in `asks` mode: layer 4, served through the LLM gateway. */
const ASK_PORTS: ReadonlySet<string> = new Set(['plan']);

export interface TickTracingOptions {
  readonly room: string;
  readonly mode: TraceTicks;
  /** A tick longer than this (ms) gets a span whatever the mode: 1000 / tick rate. */
  readonly budgetMs: number;
}

/** What a mind is handed with a traced tick's batch: a link to the tick (see `TraceCarrier` in llm/). */
export interface BatchTrace {
  readonly links: readonly Link[];
}

/**
 * A room's spans: at most one per tick (never one per actor) and one per mind batch of a traced tick. Exists only
 * while tracing is on; a room without one pays a single `undefined` check per step.
 *
 * `room.tick` starts a trace of its own. Each `mind.batch <port>` is its child, from dispatch until the mind's
 * replies arrive (seconds, for the plan port). What a batch starts elsewhere (the coordinator's asks) links to the
 * tick rather than nesting under it.
 */
export class TickTracing {
  constructor(private readonly tracer: Tracer, readonly options: TickTracingOptions) {}

  /**
   * The tick being dispatched, its span started when its step started (`startedAt`, performance.now() ms), or
   * undefined when this tick is not traced; an overrun is still caught at {@link end}.
   */
  begin(tick: number, startedAt: number, requests: readonly MindRequest[]): TracedTick | undefined {
    if (this.options.mode !== 'all' && !hasAsk(requests)) return undefined;
    return new TracedTick(this.tracer, this.options.room, this.tickSpan(tick, startedAt, requests.length));
  }

  /**
   * Close the tick: its span, or, when the tick was not traced and took longer than its budget, a span made now
   * with the tick's start and end times.
   */
  end(traced: TracedTick | undefined, tick: number, startedAt: number, endedAt: number, requests: number): void {
    const overrun = endedAt - startedAt > this.options.budgetMs;
    if (!traced && !overrun) return;
    const span = traced ? traced.span : this.tickSpan(tick, startedAt, requests);
    span.setAttribute('lairmind.tick.overrun', overrun);
    span.end(endedAt);
  }

  private tickSpan(tick: number, startedAt: number, requests: number): Span {
    return this.tracer.startSpan('room.tick', {
      kind: SpanKind.INTERNAL,
      root: true,
      startTime: startedAt,
      attributes: { 'lairmind.room.id': this.options.room, 'lairmind.tick': tick, 'lairmind.mind.requests': requests },
    }, ROOT_CONTEXT);
  }
}

/** A tick with a span: what its mind batches hang off. */
export class TracedTick {
  /** What the minds of this tick are handed with their batch: a link to the tick. */
  readonly batchTrace: BatchTrace;

  constructor(private readonly tracer: Tracer, private readonly room: string, readonly span: Span) {
    this.batchTrace = { links: [{ context: span.spanContext(), attributes: { 'lairmind.link': 'tick' } }] };
  }

  /** The span of one port's batch, child of the tick. */
  startBatch(port: string, size: number): Span {
    return this.tracer.startSpan(`mind.batch ${port}`, {
      kind: SpanKind.INTERNAL,
      attributes: { 'lairmind.room.id': this.room, 'lairmind.mind.port': port, 'lairmind.mind.batch_size': size },
    }, trace.setSpan(ROOT_CONTEXT, this.span));
  }

  /** The batch's replies arrived (error replies counted), or its mind threw. */
  endBatch(span: Span, replies: readonly ReplyInput[] | null, error?: unknown): void {
    if (replies) {
      let failed = 0;
      for (const r of replies) if (!r.ok) failed++;
      span.setAttribute('lairmind.mind.errors', failed);
    } else {
      span.setAttribute('error.type', error instanceof Error ? error.name : 'mind_failed');
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message.slice(0, 200) : 'mind failed' });
    }
    span.end();
  }
}

function hasAsk(requests: readonly MindRequest[]): boolean {
  for (const r of requests) if (ASK_PORTS.has(r.port)) return true;
  return false;
}
