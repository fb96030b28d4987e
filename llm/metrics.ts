import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { PRIORITY_CLASSES } from './admissionQueue.ts';
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
  const queueWait = new Histogram({ name: `${prefix}queue_wait_seconds`, help: 'Time a request waited for a provider slot, by priority class (granted waits)', labelNames: ['priority'] as const, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: reg });
  const queueMissed = new Counter({ name: `${prefix}queue_missed_total`, help: 'Requests answered by their fallback without a provider slot: deadline passed, line full, or aborted', labelNames: ['priority', 'outcome'] as const, registers: reg });
  gateway.queue.onWait((e) => {
    if (e.outcome === 'granted') queueWait.observe({ priority: e.priority }, e.waitedMs / 1000);
    else queueMissed.inc({ priority: e.priority, outcome: e.outcome });
  });
  new Gauge({
    name: `${prefix}queue_depth`,
    help: 'Requests waiting for a provider slot, by priority class',
    labelNames: ['priority'] as const,
    registers: reg,
    collect() {
      for (const p of PRIORITY_CLASSES) this.set({ priority: p }, gateway.queue.depth(p));
    },
  });
  const dead = new Counter({ name: `${prefix}dead_letters_total`, help: 'Requests that exhausted every link (kept in the dead-letter record, never retried)', labelNames: ['operation'] as const, registers: reg });
  gateway.deadLetters.onAdd((d) => dead.inc({ operation: d.operation }));
  new Gauge({
    name: `${prefix}dead_letters_kept`,
    help: 'Dead letters currently kept (bounded)',
    registers: reg,
    collect() {
      this.set(gateway.deadLetters.size);
    },
  });
  const overshoot = new Counter({ name: `${prefix}budget_overshoot_total`, help: 'Spend past a hard budget (a provider reported more than was reserved; the scope is closed by it), in tokens or USD by scope', labelNames: ['scope', 'metric'] as const, registers: reg });
  gateway.accounting.onOvershoot((o) => overshoot.inc({ scope: o.scope, metric: o.metric === 'cost' ? 'usd' : 'tokens' }, o.amount));
  // Read at scrape time from the breakers' shared state and the clock: an open breaker past its cooldown shows as
  // half-open (ready for a probe) without waiting for the next call to ask.
  new Gauge({
    name: `${prefix}breaker_state`,
    help: 'Circuit breaker state per provider:model (0 closed, 1 half-open: a probe may go, 2 open)',
    labelNames: ['key'] as const,
    registers: reg,
    async collect() {
      this.reset();
      for (const [key, status] of Object.entries(await gateway.breakerStatus())) this.set({ key }, STATUS[status]);
    },
  });
  let lastHits = gateway.cache.hits;
  let lastMisses = gateway.cache.misses;
  const off = gateway.telemetry.onRecord((r) => {
    calls.inc({ provider: r.provider, model: r.model, operation: r.operation, outcome: r.outcome });
    latency.observe({ provider: r.provider, operation: r.operation }, r.latencyMs / 1000);
    for (const a of r.attempts) {
      attempts.inc({ provider: a.provider, model: a.model, outcome: a.outcome });
      if (a.outcome === 'invalid_output') invalid.inc({ provider: a.provider, model: a.model });
    }
    // Tokens and spend belong to the attempt that used them (a failed attempt's provider, not the local fallback).
    if (!r.cached) {
      for (const a of r.attempts) {
        if (a.inputTokens) tokens.inc({ provider: a.provider, model: a.model, kind: 'input' }, a.inputTokens);
        if (a.outputTokens) tokens.inc({ provider: a.provider, model: a.model, kind: 'output' }, a.outputTokens);
        if (a.cachedInputTokens) tokens.inc({ provider: a.provider, model: a.model, kind: 'cached_input' }, a.cachedInputTokens);
        if (a.costUsd) cost.inc({ provider: a.provider, model: a.model, operation: r.operation }, a.costUsd);
      }
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
  return off;
}
