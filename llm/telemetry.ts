/** One attempt against one link. */
export interface AttemptRecord {
  readonly provider: string;
  readonly model: string;
  /** `ok`, a failure kind, or `repair_ok` / `skipped:<why>`. */
  readonly outcome: string;
  /** Wall time of the attempt, ms (the provider's part: queue wait not included). */
  readonly ms: number;
  /** Time waited in the admission queue for a slot, ms (absent when there was no wait). */
  readonly queueMs?: number;
  /** What this attempt spent (tokens the provider reported, USD at the model's price); absent when nothing was sent. */
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cachedInputTokens?: number;
  readonly costUsd?: number;
}

/** Telemetry of one gateway call. Never holds prompt text or secrets. */
export interface CallRecord {
  readonly requestId: string;
  /** Gateway clock at the start, ms. */
  readonly startedAt: number;
  readonly operation: string;
  readonly tenant: string;
  /** The player the call served, when the caller named one. */
  readonly player?: string;
  readonly room: string | undefined;
  readonly tier: string;
  /** Provider that answered (`local`, `cache` hits keep the original provider). */
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  /** Served from the response cache. */
  readonly cached: boolean;
  /** Retries on the same model (not counting the first try or repairs). */
  readonly retries: number;
  /** Repair attempts after invalid output. */
  readonly repairs: number;
  /** Whether a link other than the primary answered. */
  readonly fallbackUsed: boolean;
  /** Why the gateway moved on (first reason), if it did. */
  readonly fallbackReason: string | undefined;
  /** End-to-end latency, ms. */
  readonly latencyMs: number;
  readonly costUsd: number;
  readonly outcome: 'ok' | 'error' | 'refused';
  /** Redacted error message when the outcome is not ok. */
  readonly error: string | undefined;
  readonly routing: string;
  readonly attempts: readonly AttemptRecord[];
}

/** Aggregates over every recorded call. */
export interface TelemetryAggregates {
  readonly count: number;
  readonly errors: number;
  readonly refused: number;
  readonly errorRate: number;
  /** Percentiles over the most recent calls (up to the window), ms. */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly cacheHitRate: number;
  readonly fallbackRate: number;
  readonly costUsd: {
    readonly total: number;
    readonly byProvider: Record<string, number>;
    readonly byModel: Record<string, number>;
    readonly byOperation: Record<string, number>;
    readonly byTenant: Record<string, number>;
    readonly byRoom: Record<string, number>;
  };
  readonly tokens: { readonly input: number; readonly output: number; readonly cachedInput: number };
  readonly invalidOutputs: number;
}

/** Keeps recent call records (ring) and running aggregates; listeners get every record (metrics). */
export class Telemetry {
  private readonly ring: CallRecord[] = [];
  private next = 0;
  private readonly capacity: number;
  private readonly latencies: Float64Array;
  private nLat = 0;
  private readonly listeners: ((r: CallRecord) => void)[] = [];
  private count = 0;
  private errors = 0;
  private refused = 0;
  private hits = 0;
  private fallbacks = 0;
  private invalid = 0;
  private readonly tokens = { input: 0, output: 0, cachedInput: 0 };
  private readonly cost = { total: 0, byProvider: {} as Record<string, number>, byModel: {} as Record<string, number>, byOperation: {} as Record<string, number>, byTenant: {} as Record<string, number>, byRoom: {} as Record<string, number> };

  /** `capacity`: records kept for {@link recent}; `latencyWindow`: calls the percentiles cover. */
  constructor(capacity = 1000, latencyWindow = 10_000) {
    this.capacity = capacity;
    this.latencies = new Float64Array(latencyWindow);
  }

  record(r: CallRecord): void {
    if (this.ring.length < this.capacity) this.ring.push(r);
    else this.ring[this.next] = r;
    this.next = (this.next + 1) % this.capacity;
    this.latencies[this.nLat++ % this.latencies.length] = r.latencyMs;
    this.count++;
    if (r.outcome === 'error') this.errors++;
    if (r.outcome === 'refused') this.refused++;
    if (r.cached) this.hits++;
    if (r.fallbackUsed) this.fallbacks++;
    this.invalid += r.attempts.filter((a) => a.outcome === 'invalid_output').length;
    this.tokens.input += r.inputTokens;
    this.tokens.output += r.outputTokens;
    this.tokens.cachedInput += r.cachedInputTokens;
    if (r.costUsd > 0) {
      const c = this.cost;
      c.total += r.costUsd;
      // Spend belongs to the provider and model that spent it, failed attempts included.
      let attributed = 0;
      for (const a of r.attempts) {
        if (!a.costUsd) continue;
        add(c.byProvider, a.provider, a.costUsd);
        add(c.byModel, `${a.provider}:${a.model}`, a.costUsd);
        attributed += a.costUsd;
      }
      const rest = r.costUsd - attributed;
      if (rest > 1e-12) {
        add(c.byProvider, r.provider, rest);
        add(c.byModel, `${r.provider}:${r.model}`, rest);
      }
      add(c.byOperation, r.operation, r.costUsd);
      add(c.byTenant, r.tenant, r.costUsd);
      if (r.room !== undefined) add(c.byRoom, r.room, r.costUsd);
    }
    for (const fn of this.listeners) fn(r);
  }

  /** Call `fn` with every record from now on; returns an unsubscribe function. */
  onRecord(fn: (r: CallRecord) => void): () => void {
    this.listeners.push(fn);
    return () => {
      const k = this.listeners.indexOf(fn);
      if (k >= 0) this.listeners.splice(k, 1);
    };
  }

  /** The most recent records, newest first (at most `limit`). */
  recent(limit = 100): CallRecord[] {
    const out: CallRecord[] = [];
    const n = this.ring.length;
    for (let i = 1; i <= Math.min(limit, n); i++) out.push(this.ring[(this.next - i + n * 2) % n] as CallRecord);
    return out;
  }

  aggregates(): TelemetryAggregates {
    const n = Math.min(this.nLat, this.latencies.length);
    const lat = Array.from(this.latencies.subarray(0, n)).sort((a, b) => a - b);
    const q = (p: number): number => (n ? (lat[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] as number) : 0);
    const c = this.cost;
    return {
      count: this.count,
      errors: this.errors,
      refused: this.refused,
      errorRate: this.count ? this.errors / this.count : 0,
      latencyMs: { p50: q(0.5), p95: q(0.95), p99: q(0.99) },
      cacheHitRate: this.count ? this.hits / this.count : 0,
      fallbackRate: this.count ? this.fallbacks / this.count : 0,
      costUsd: { total: c.total, byProvider: { ...c.byProvider }, byModel: { ...c.byModel }, byOperation: { ...c.byOperation }, byTenant: { ...c.byTenant }, byRoom: { ...c.byRoom } },
      tokens: { ...this.tokens },
      invalidOutputs: this.invalid,
    };
  }
}

function add(m: Record<string, number>, k: string, v: number): void {
  m[k] = (m[k] ?? 0) + v;
}
