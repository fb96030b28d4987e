import { bucketsDelta, bucketsOf, histogramQuantile, parsePromText, sumOf } from './promText.ts';
import type { Buckets } from './promText.ts';

/** One scrape of the server's /metrics, reduced to what a load-test report shows. */
export interface ServerScrape {
  /** performance.now() of the scrape, in ms. */
  readonly at: number;
  readonly tick: Buckets | null;
  readonly patch: Buckets | null;
  /** Process CPU seconds since it started. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** Connected clients as the server counts them. */
  readonly clients: number;
  /** Mind requests since start: layer-3 decisions (`think`) and all ports. */
  readonly mindDecisions: number;
  readonly mindRequests: number;
  /** Bytes the server sent to clients since start. */
  readonly bytesSent: number;
  readonly llmCalls: number;
  readonly llmCacheHits: number;
  readonly llmCacheMisses: number;
  readonly llmCostUsd: number;
}

/** Figures between two scrapes (rates per second; tick and patch quantiles in ms; CPU in % of one core). */
export interface ServerWindow {
  readonly tickP50Ms: number;
  readonly tickP99Ms: number;
  readonly patchP99Ms: number;
  readonly cpuPct: number;
  readonly rssMb: number;
  readonly mindDecisionsPerS: number;
  readonly serverBytesPerS: number;
}

const zeroIfNaN = (x: number): number => (Number.isNaN(x) ? 0 : x);

/** Reduce a /metrics text to a scrape. */
export function readScrape(text: string, at: number): ServerScrape {
  const s = parsePromText(text);
  return {
    at,
    tick: bucketsOf(s, 'lairmind_tick_duration_seconds'),
    patch: bucketsOf(s, 'lairmind_patch_duration_seconds'),
    cpuSeconds: sumOf(s, 'lairmind_process_cpu_seconds_total'),
    rssBytes: sumOf(s, 'lairmind_process_resident_memory_bytes'),
    clients: sumOf(s, 'lairmind_clients'),
    mindDecisions: zeroIfNaN(sumOf(s, 'lairmind_mind_requests_total', { port: 'think' })),
    mindRequests: zeroIfNaN(sumOf(s, 'lairmind_mind_requests_total')),
    bytesSent: zeroIfNaN(sumOf(s, 'lairmind_patch_bytes_total')),
    llmCalls: zeroIfNaN(sumOf(s, 'llm_calls_total')),
    llmCacheHits: zeroIfNaN(sumOf(s, 'llm_cache_requests_total', { result: 'hit' })),
    llmCacheMisses: zeroIfNaN(sumOf(s, 'llm_cache_requests_total', { result: 'miss' })),
    llmCostUsd: zeroIfNaN(sumOf(s, 'llm_cost_usd_total')),
  };
}

/** What happened between scrape `a` and the later scrape `b`. */
export function windowBetween(a: ServerScrape | null, b: ServerScrape): ServerWindow {
  const seconds = a ? (b.at - a.at) / 1000 : NaN;
  const tick = b.tick ? bucketsDelta(b.tick, a?.tick ?? null) : null;
  const patch = b.patch ? bucketsDelta(b.patch, a?.patch ?? null) : null;
  const rate = (x: number, y: number | undefined) => (a && seconds > 0 && y !== undefined ? (x - y) / seconds : NaN);
  return {
    tickP50Ms: tick ? histogramQuantile(tick, 0.5) * 1000 : NaN,
    tickP99Ms: tick ? histogramQuantile(tick, 0.99) * 1000 : NaN,
    patchP99Ms: patch ? histogramQuantile(patch, 0.99) * 1000 : NaN,
    cpuPct: rate(b.cpuSeconds, a?.cpuSeconds) * 100,
    rssMb: b.rssBytes / 2 ** 20,
    mindDecisionsPerS: rate(b.mindDecisions, a?.mindDecisions),
    serverBytesPerS: rate(b.bytesSent, a?.bytesSent),
  };
}

/**
 * LLM calls, cache hits and cost between the test's first scrape `base` and scrape `b`: the gateway's counters
 * run since the server started, a load test reports its own window. Null `base`: `b` is the first, so all zero.
 */
export function llmSince(base: ServerScrape | null, b: ServerScrape): { llmCalls: number; llmCacheHits: number; llmCostUsd: number } {
  const from = base ?? b;
  return {
    llmCalls: Math.max(0, b.llmCalls - from.llmCalls),
    llmCacheHits: Math.max(0, b.llmCacheHits - from.llmCacheHits),
    llmCostUsd: Math.max(0, b.llmCostUsd - from.llmCostUsd),
  };
}

/** Fetch and read the server's /metrics; null (and the reason) when it cannot be had. */
export async function scrapeServer(base: string, timeoutMs = 2000): Promise<ServerScrape | { error: string }> {
  try {
    const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { error: `GET /metrics: HTTP ${res.status}` };
    return readScrape(await res.text(), performance.now());
  } catch (err) {
    return { error: `GET /metrics: ${err instanceof Error ? err.message : String(err)}` };
  }
}
