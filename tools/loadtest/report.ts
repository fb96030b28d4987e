import type { LoadtestOptions } from './options.ts';

/** One point of the time series (one sample window). Latencies in ms, rates per second, CPU in % of one core. */
export interface SeriesPoint {
  /** Seconds since the bots started. */
  readonly t: number;
  /** Bots in the room, and bots whose join failed so far. */
  readonly connected: number;
  readonly failed: number;
  /** Join latency quantiles over every join so far. */
  readonly joinP50Ms: number;
  readonly joinP95Ms: number;
  readonly joinP99Ms: number;
  /** Ping round trips in this window. */
  readonly pingP50Ms: number;
  readonly pingP99Ms: number;
  /** Patches decoded and bytes received per connected bot per second. */
  readonly patchesPerBotS: number;
  readonly bytesPerBotS: number;
  /** Server tick (simulation step with projection) quantiles in this window, from /metrics. */
  readonly tickP50Ms: number;
  readonly tickP99Ms: number;
  /** Server patch encoding p99 in this window. */
  readonly patchP99Ms: number;
  readonly serverCpuPct: number;
  readonly serverRssMb: number;
  /** Layer-3 mind decisions requested per second. */
  readonly mindDecisionsPerS: number;
  /** LLM gateway calls, cache hits and cost in USD since the test's first scrape of the server (not since it started). */
  readonly llmCalls: number;
  readonly llmCacheHits: number;
  readonly llmCostUsd: number;
  /** Bot errors in this window. */
  readonly errors: number;
  /** Highest CPU use of one load-generator worker (near 100 means the generator is the bottleneck). */
  readonly generatorCpuPct: number;
}

/** The run in figures. Quantiles over the steady phase (after the ramp) unless noted. */
export interface LoadtestSummary {
  readonly durationS: number;
  readonly bots: { readonly requested: number; readonly connectedPeak: number; readonly connectedAtEnd: number; readonly failed: number };
  /** Over every join of the run. */
  readonly joinMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly pingMs: { readonly p50: number; readonly p99: number };
  readonly patchesPerBotS: number;
  readonly downBytesPerBotS: number;
  readonly server: {
    /** `steady` when figures cover the phase after the ramp, `whole` when the run had none. */
    readonly window: 'steady' | 'whole';
    readonly tickP50Ms: number;
    readonly tickP99Ms: number;
    readonly patchP99Ms: number;
    readonly cpuPctMean: number;
    readonly cpuPctMax: number;
    readonly rssMbMax: number;
    readonly mindDecisionsPerS: number;
    readonly downBytesPerS: number;
    readonly llmCalls: number;
    readonly llmCacheHits: number;
    readonly llmCacheMisses: number;
    readonly llmCostUsd: number;
    /** Scrapes of /metrics that failed. */
    readonly scrapeErrors: number;
  };
  readonly generatorCpuPctMax: number;
  readonly errors: number;
}

export interface LoadtestReport {
  readonly tool: 'lairmind loadtest';
  readonly version: 1;
  readonly startedAt: string;
  readonly options: Omit<LoadtestOptions, 'progress'>;
  readonly summary: LoadtestSummary;
  readonly errorsByKind: Readonly<Record<string, number>>;
  readonly errorExamples: readonly { readonly kind: string; readonly message: string }[];
  readonly series: readonly SeriesPoint[];
  /** Checks that failed (budget, errors); empty when the run passed. */
  readonly failures: readonly string[];
  readonly ok: boolean;
}

/** JSON of a report (NaN, meaning "not measured", becomes null). */
export function reportJson(report: LoadtestReport): string {
  return `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

const f = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** The human summary printed on the terminal. */
export function summaryText(r: LoadtestReport): string {
  const s = r.summary;
  const sv = s.server;
  const errors = Object.entries(r.errorsByKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  return [
    `lairmind loadtest: ${r.options.url} room '${r.options.room}', ${s.bots.requested} bots over ${r.options.workers} worker(s), ${f(s.durationS, 0)} s`,
    `  bots       connected peak ${s.bots.connectedPeak}, at end ${s.bots.connectedAtEnd}, failed ${s.bots.failed}`,
    `  join       p50 ${f(s.joinMs.p50)} ms  p95 ${f(s.joinMs.p95)} ms  p99 ${f(s.joinMs.p99)} ms`,
    `  ping       p50 ${f(s.pingMs.p50)} ms  p99 ${f(s.pingMs.p99)} ms`,
    `  traffic    ${f(s.patchesPerBotS)} patches and ${f(s.downBytesPerBotS / 1024, 2)} KiB per bot per second (server sends ${f(sv.downBytesPerS / 1024, 0)} KiB/s)`,
    `  server     tick p50 ${f(sv.tickP50Ms, 2)} ms  p99 ${f(sv.tickP99Ms, 2)} ms  patch p99 ${f(sv.patchP99Ms, 2)} ms  (${sv.window})`,
    `             CPU mean ${f(sv.cpuPctMean, 0)}% max ${f(sv.cpuPctMax, 0)}% of a core  RSS max ${f(sv.rssMbMax, 0)} MB${sv.scrapeErrors ? `  (${sv.scrapeErrors} failed scrapes)` : ''}`,
    `  minds      ${f(sv.mindDecisionsPerS)} decisions/s;  LLM ${sv.llmCalls} calls, ${sv.llmCacheHits} cache hits / ${sv.llmCacheMisses} misses, $${f(sv.llmCostUsd, 4)}`,
    `  generator  busiest worker ${f(s.generatorCpuPctMax, 0)}% of a core`,
    `  errors     ${errors}`,
    r.ok ? '  result     ok' : `  result     FAILED: ${r.failures.join('; ')}`,
  ].join('\n');
}
