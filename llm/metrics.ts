import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { LlmGateway } from './gateway.ts';

const STATUS = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Register the gateway's Prometheus metrics on `registry` (the server exposes it at /metrics).
 * Labels are low-cardinality (provider, model, operation, outcome); per-tenant and per-room cost is in
 * `gateway.telemetry.aggregates()`. Returns an unsubscribe function.
 */
export function registerLlmMetrics(gateway: LlmGateway, registry: Registry, prefix = 'llm_'): () => void {
  const reg = [registry];
  const calls = new Counter({ name: `${prefix}calls_total`, help: 'Gateway calls by provider, model, operation and outcome', labelNames: ['provider', 'model', 'operation', 'outcome'] as const, registers: reg });
  const latency = new Histogram({ name: `${prefix}call_duration_seconds`, help: 'End-to-end gateway call latency', labelNames: ['provider', 'operation'] as const, buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10], registers: reg });
  const tokens = new Counter({ name: `${prefix}tokens_total`, help: 'Tokens by provider, model and kind (input, output, cached_input)', labelNames: ['provider', 'model', 'kind'] as const, registers: reg });
  const cost = new Counter({ name: `${prefix}cost_usd_total`, help: 'Spend in USD by provider, model and operation', labelNames: ['provider', 'model', 'operation'] as const, registers: reg });
  const cache = new Counter({ name: `${prefix}cache_requests_total`, help: 'Response cache lookups by result', labelNames: ['result'] as const, registers: reg });
  const attempts = new Counter({ name: `${prefix}attempts_total`, help: 'Provider attempts by provider, model and outcome (ok, invalid_output, rate_limit, …)', labelNames: ['provider', 'model', 'outcome'] as const, registers: reg });
  const fallbacks = new Counter({ name: `${prefix}fallbacks_total`, help: 'Calls answered by a link other than the primary', labelNames: ['operation'] as const, registers: reg });
  const retries = new Counter({ name: `${prefix}retries_total`, help: 'Same-model retries', labelNames: ['operation'] as const, registers: reg });
  const invalid = new Counter({ name: `${prefix}invalid_outputs_total`, help: 'Replies that failed parsing, schema or guard checks', labelNames: ['provider', 'model'] as const, registers: reg });
  const breaker = new Gauge({ name: `${prefix}breaker_state`, help: 'Circuit breaker state per provider:model as last seen by this process (0 closed, 1 half-open, 2 open)', labelNames: ['key'] as const, registers: reg });
  let lastHits = gateway.cache.hits;
  let lastMisses = gateway.cache.misses;
  const off = gateway.telemetry.onRecord((r) => {
    calls.inc({ provider: r.provider, model: r.model, operation: r.operation, outcome: r.outcome });
    latency.observe({ provider: r.provider, operation: r.operation }, r.latencyMs / 1000);
    for (const a of r.attempts) {
      attempts.inc({ provider: a.provider, model: a.model, outcome: a.outcome });
      if (a.outcome === 'invalid_output') invalid.inc({ provider: a.provider, model: a.model });
    }
    if (!r.cached) {
      if (r.inputTokens) tokens.inc({ provider: r.provider, model: r.model, kind: 'input' }, r.inputTokens);
      if (r.outputTokens) tokens.inc({ provider: r.provider, model: r.model, kind: 'output' }, r.outputTokens);
      if (r.cachedInputTokens) tokens.inc({ provider: r.provider, model: r.model, kind: 'cached_input' }, r.cachedInputTokens);
      if (r.costUsd > 0) cost.inc({ provider: r.provider, model: r.model, operation: r.operation }, r.costUsd);
    }
    if (r.fallbackUsed) fallbacks.inc({ operation: r.operation });
    if (r.retries) retries.inc({ operation: r.operation }, r.retries);
    const h = gateway.cache.hits;
    const m = gateway.cache.misses;
    if (h > lastHits) cache.inc({ result: 'hit' }, h - lastHits);
    if (m > lastMisses) cache.inc({ result: 'miss' }, m - lastMisses);
    lastHits = h;
    lastMisses = m;
  });
  gateway.breakers.onChange((key, status) => breaker.set({ key }, STATUS[status]));
  for (const [key, status] of gateway.breakers.lastSeen()) breaker.set({ key }, STATUS[status]);
  return off;
}
