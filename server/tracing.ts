import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { refreshTracing, tracerProviderRegistered } from '../llm/index.ts';
import { redactUrl } from './config.ts';
import type { ServerConfig } from './config.ts';
import { withDeadline } from './deadline.ts';
import type { Logger } from './logger.ts';

/** How long shutdown waits for the last spans to reach the collector, ms. */
export const TRACES_SHUTDOWN_MS = 1000;

/** What one kind of OpenTelemetry diagnostic may log per minute (a collector that is down fails every export). */
const DIAG_LINES_PER_MINUTE = 1;

/** The tracing of a server process. */
export interface TracingSetup {
  /**
   * `otlp`: this process started the OpenTelemetry SDK and exports over OTLP/HTTP; `host`: the process that embeds
   * the server registered a tracer provider before starting it (spans go there); `off`: no provider, no spans.
   */
  readonly mode: 'otlp' | 'host' | 'off';
  /** Set unless `off`: rooms make their tick and batch spans with it. */
  readonly tracer: Tracer | undefined;
  /** Flush the spans still buffered and stop the SDK (`otlp` only), within {@link TRACES_SHUTDOWN_MS}; never throws. */
  shutdown(): Promise<void>;
}

/** Where traces go: the traces URL as given, else `/v1/traces` under the base URL (as the OTLP exporter spec says). */
export function tracesUrl(config: Pick<ServerConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? new URL('v1/traces', base.endsWith('/') ? base : `${base}/`).toString() : undefined;
}

/**
 * Start tracing as the configuration says, and log which: with an OTLP endpoint, the OpenTelemetry Node SDK with the
 * OTLP/HTTP trace exporter (service `OTEL_SERVICE_NAME`, sampler `OTEL_TRACES_SAMPLER`/`_ARG`, by default
 * `parentbased_traceidratio` at 1), and nothing else: no metrics or logs exporter, no auto-instrumentation. Without
 * one, nothing is registered. A tracer provider the host process registered first is used as it is.
 */
export async function startTracing(config: ServerConfig, logger: Logger): Promise<TracingSetup> {
  const url = tracesUrl(config);
  const off: TracingSetup = { mode: 'off', tracer: undefined, shutdown: async () => {} };
  if (config.OTEL_SDK_DISABLED) {
    refreshTracing();
    logger.info('traces: off (OTEL_SDK_DISABLED=true)');
    return off;
  }
  if (tracerProviderRegistered()) {
    const tracer = refreshTracing();
    logger.info({ ticks: config.TRACE_TICKS }, 'traces: to the tracer provider the host process registered');
    if (url) logger.warn({ endpoint: redactUrl(url) }, 'traces: OTEL_EXPORTER_OTLP_ENDPOINT ignored: a tracer provider was registered before the server started');
    return { mode: 'host', tracer, shutdown: async () => {} };
  }
  if (!url) {
    refreshTracing();
    logger.info('traces: off; set OTEL_EXPORTER_OTLP_ENDPOINT to export them over OTLP/HTTP');
    return off;
  }

  // Loaded only when traces are exported: a server without an endpoint never loads the SDK.
  const [{ NodeSDK }, { OTLPTraceExporter }, samplers] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const ratio = config.OTEL_TRACES_SAMPLER_ARG;
  const sampler = {
    always_on: () => new samplers.AlwaysOnSampler(),
    always_off: () => new samplers.AlwaysOffSampler(),
    traceidratio: () => new samplers.TraceIdRatioBasedSampler(ratio),
    parentbased_always_on: () => new samplers.ParentBasedSampler({ root: new samplers.AlwaysOnSampler() }),
    parentbased_always_off: () => new samplers.ParentBasedSampler({ root: new samplers.AlwaysOffSampler() }),
    parentbased_traceidratio: () => new samplers.ParentBasedSampler({ root: new samplers.TraceIdRatioBasedSampler(ratio) }),
  }[config.OTEL_TRACES_SAMPLER]();
  diag.setLogger(throttledDiag(logger), DiagLogLevel.WARN);
  const sdk = new NodeSDK({
    serviceName: config.OTEL_SERVICE_NAME,
    traceExporter: new OTLPTraceExporter({ url }),
    sampler,
    instrumentations: [],
    // Given empty, so the SDK does not start its default OTLP metrics and logs exporters.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  const tracer = refreshTracing();
  const withRatio = config.OTEL_TRACES_SAMPLER.endsWith('traceidratio');
  logger.info({ endpoint: redactUrl(url), service: config.OTEL_SERVICE_NAME, sampler: config.OTEL_TRACES_SAMPLER, ...(withRatio && { ratio }), ticks: config.TRACE_TICKS },
    `traces: exporting over OTLP/HTTP to ${redactUrl(url)}`);
  let stopped: Promise<void> | undefined;
  return {
    mode: 'otlp',
    tracer,
    shutdown: () => (stopped ??= (async () => {
      try {
        await withDeadline('traces: flushing spans', sdk.shutdown(), TRACES_SHUTDOWN_MS);
      } catch (err) {
        logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'traces: spans not flushed at shutdown');
      } finally {
        // Unregistered, so a server started again in this process begins from a clean slate.
        trace.disable();
        context.disable();
        propagation.disable();
        diag.disable();
        refreshTracing();
      }
    })()),
  };
}

/** OpenTelemetry's own warnings and errors (failed exports) as log lines, each kind at most once a minute. */
function throttledDiag(logger: Logger): Parameters<typeof diag.setLogger>[0] {
  const seen = new Map<string, { windowStart: number; count: number }>();
  const log = (level: 'warn' | 'error') => (message: string, ...args: unknown[]) => {
    const key = message.slice(0, 60);
    const now = performance.now();
    const entry = seen.get(key);
    if (entry && now - entry.windowStart < 60_000) {
      if (++entry.count > DIAG_LINES_PER_MINUTE) return;
    } else {
      if (seen.size >= 100) seen.clear();
      seen.set(key, { windowStart: now, count: 1 });
    }
    const detail = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : '')).filter(Boolean).join('; ');
    logger[level]({ component: 'otel', ...(detail && { detail: detail.slice(0, 300) }) }, `otel: ${message.slice(0, 300)}`);
  };
  const none = () => {};
  return { error: log('error'), warn: log('warn'), info: none, debug: none, verbose: none };
}
