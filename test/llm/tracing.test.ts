import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import {
  activeTracer, asTraceCarrier, contextWith, endAttemptSpan, endCallSpan, endQueueWaitSpan, endSpan, linkTo, refreshTracing, startAttemptSpan, startCallSpan,
  startQueueWaitSpan, startSpan, tracerProviderRegistered,
} from '../../llm/index.ts';
import { ProviderError } from '../../llm/index.ts';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

afterAll(async () => {
  trace.disable();
  refreshTracing();
  await provider.shutdown();
});

describe('llm/tracing', () => {
  it('is off until a provider is registered and the check is refreshed: every helper returns undefined', () => {
    expect(tracerProviderRegistered()).toBe(false);
    expect(activeTracer()).toBeUndefined();
    expect(startSpan('x')).toBeUndefined();
    const call = startCallSpan('tactics', { room: 'r1' });
    expect(call).toBeUndefined();
    expect(startQueueWaitSpan(call)).toBeUndefined();
    expect(startAttemptSpan(call, 'openai', 'gpt-4o-mini')).toBeUndefined();
    endAttemptSpan(undefined, { outcome: 'ok' });
    endCallSpan(undefined, { outcome: 'cloud' });

    trace.setGlobalTracerProvider(provider);
    expect(tracerProviderRegistered()).toBe(true);
    expect(activeTracer()).toBeUndefined(); // cached: the hot path does not look again
    expect(refreshTracing()).toBeDefined();
    expect(activeTracer()).toBeDefined();
    // The probe span is never ended, so never exported.
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('a call under its caller: call span (child of trace.parent, with its links), queue wait and GenAI attempt spans', () => {
    exporter.reset();
    const tick = startSpan('room.tick')!;
    const ask = startSpan('coordinator.ask tactics', { links: [linkTo(tick, { 'lairmind.link': 'tick' })] })!;
    const call = startCallSpan('tactics', { tenant: 't', room: 'r1', tier: 'whale', priority: 'tactics' }, { parent: contextWith(ask), links: [linkTo(tick)] });
    const wait = startQueueWaitSpan(call, { priority: 'tactics', depth: 3 });
    endQueueWaitSpan(wait, 'started');
    const failed = startAttemptSpan(call, 'openai', 'gpt-4o-mini', { attempt: 1, maxTokens: 600, temperature: 0.4 });
    endAttemptSpan(failed, { outcome: 'timeout', error: new ProviderError({ kind: 'timeout', provider: 'openai', model: 'gpt-4o-mini', message: 'attempt timed out' }) });
    const ok = startAttemptSpan(call, 'proxy', 'gemini-2.0-flash', { providerKind: 'gemini', attempt: 1 });
    endAttemptSpan(ok, { inputTokens: 900, outputTokens: 120, costUsd: 0.0002, outcome: 'ok', finishReason: 'stop' });
    endCallSpan(call, { outcome: 'cloud', provider: 'proxy', model: 'gemini-2.0-flash', costUsd: 0.0002, fallbackReason: 'openai:gpt-4o-mini: timeout' });
    endSpan(ask);
    endSpan(tick);

    const spans = exporter.getFinishedSpans();
    const named = (n: string) => spans.filter((s) => s.name === n);
    const [c] = named('llm tactics');
    expect(c?.parentSpanContext?.spanId).toBe(ask.spanContext().spanId);
    expect(c?.spanContext().traceId).toBe(ask.spanContext().traceId);
    expect(c?.links.map((l) => l.context.spanId)).toEqual([tick.spanContext().spanId]);
    expect(c?.kind).toBe(SpanKind.INTERNAL);
    expect(c?.attributes).toEqual({
      'lairmind.llm.operation': 'tactics', 'lairmind.tenant': 't', 'lairmind.room.id': 'r1', 'lairmind.tier': 'whale', 'lairmind.llm.priority': 'tactics',
      'lairmind.outcome': 'cloud', 'lairmind.llm.provider': 'proxy', 'lairmind.llm.model': 'gemini-2.0-flash', 'lairmind.cost_usd': 0.0002, 'lairmind.llm.fallback_reason': 'openai:gpt-4o-mini: timeout',
    });
    const [w] = named('llm queue wait');
    expect(w?.parentSpanContext?.spanId).toBe(c?.spanContext().spanId);
    expect(w?.attributes).toEqual({ 'lairmind.llm.priority': 'tactics', 'lairmind.llm.queue_depth': 3, 'lairmind.outcome': 'started' });
    expect(w?.status.code).toBe(SpanStatusCode.UNSET);

    const [t] = named('chat gpt-4o-mini');
    expect(t?.kind).toBe(SpanKind.CLIENT);
    expect(t?.parentSpanContext?.spanId).toBe(c?.spanContext().spanId);
    expect(t?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.request.max_tokens': 600, 'gen_ai.request.temperature': 0.4,
      'lairmind.llm.attempt': 1, 'lairmind.outcome': 'timeout', 'error.type': 'timeout',
    });
    expect(t?.status.code).toBe(SpanStatusCode.ERROR);
    const [g] = named('chat gemini-2.0-flash');
    expect(g?.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.gemini', 'lairmind.llm.provider': 'proxy', 'gen_ai.usage.input_tokens': 900, 'gen_ai.usage.output_tokens': 120,
      'lairmind.cost_usd': 0.0002, 'lairmind.outcome': 'ok', 'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(g?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a call with no caller starts a trace of its own; spans never become the active context', () => {
    exporter.reset();
    const call = startCallSpan('dialogue');
    expect(trace.getSpan(context.active())).toBeUndefined();
    endCallSpan(call, { outcome: 'local' });
    const [c] = exporter.getFinishedSpans();
    expect(c?.parentSpanContext).toBeUndefined();
    expect(c?.links).toEqual([]);
  });

  it('reads a trace carrier from an untyped batch context, and nothing from anything else', () => {
    const tick = startSpan('room.tick')!;
    const carrier = { links: [linkTo(tick)] };
    expect(asTraceCarrier(carrier)).toBe(carrier);
    expect(asTraceCarrier({ parent: contextWith(tick) })).toBeDefined();
    expect(asTraceCarrier(undefined)).toBeUndefined();
    expect(asTraceCarrier({ links: 'x' })).toBeUndefined();
    expect(asTraceCarrier({ links: [1] })).toBeUndefined();
    expect(asTraceCarrier({ parent: {} })).toBeUndefined();
    endSpan(tick);
  });
});
