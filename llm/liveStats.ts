import { ValidationError } from '../shared/index.ts';
import type { Clock } from '../shared/index.ts';
import type { CallRecord } from './telemetry.ts';

/** Sliding-window settings. */
export interface LiveStatsOptions {
  /** Length of the window, ms (default 300 000: five minutes). */
  readonly windowMs?: number;
  /** Most attempts kept per deployment; at a high call rate older ones leave the window early (default 256). */
  readonly maxSamples?: number;
  /** Most deployments tracked; attempts of further ones are dropped and counted (default 1024). */
  readonly maxDeployments?: number;
}

/** One finished attempt against one deployment. */
export interface AttemptSample {
  /** A usable answer came back. */
  readonly ok: boolean;
  /** Wall time of the attempt, ms (≥ 0). */
  readonly latencyMs: number;
  /** Why it failed: a {@link FailureKind} (`timeout`, `rate_limit`, …) or another short word. Ignored when `ok`. */
  readonly errorKind?: string;
  /** When it ended, on the stats' clock, ms. */
  readonly at: number;
}

/** What a deployment's recent attempts say about it. */
export interface LiveFigures {
  /** Deployment (model id `provider:model`). */
  readonly id: string;
  readonly windowMs: number;
  /** Attempts in the window that count for or against the deployment (see {@link attemptEffect}). */
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  /** successes / attempts, 0..1; null without attempts. */
  readonly successRate: number | null;
  /**
   * Latency percentiles (nearest rank) over the attempts in the window that carry a latency: successes, invalid
   * outputs and timeouts (a timeout's latency is its timeout, a lower bound). Null without such attempts.
   */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly samples: number } | null;
  /** Failures in the window by kind. */
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** The last failure seen, however old (a failed health probe included), ms on the stats' clock. */
  readonly lastError: { readonly kind: string; readonly at: number; readonly probe: boolean } | null;
  readonly lastSuccessAt: number | null;
  /** The last real attempt, however old. */
  readonly lastAttemptAt: number | null;
  /** The last active health check (see healthProbe.ts), however old. Never part of the window's counts. */
  readonly lastProbe: { readonly ok: boolean; readonly at: number; readonly latencyMs: number; readonly kind?: string } | null;
}

/**
 * How an attempt's outcome counts: `ignore` (the request's fault, not the deployment's: `bad_request`, or the caller
 * cancelled), `failure` (counts against the success rate; no latency, since a fast 429 or refused connection would
 * flatter it), `failure_timed` (a failure whose latency says how slow the deployment is: `timeout`, and
 * `invalid_output`, an answer that came back unusable).
 */
export function attemptEffect(kind: string): 'ignore' | 'failure' | 'failure_timed' {
  if (kind === 'bad_request' || kind === 'aborted') return 'ignore';
  if (kind === 'timeout' || kind === 'invalid_output') return 'failure_timed';
  return 'failure';
}

const NO_FAILURES: Readonly<Record<string, number>> = Object.freeze({});

/** One deployment's ring of recent attempts. */
class Ring {
  readonly at: Float64Array;
  /** Latency, or NaN when the attempt carries none. */
  readonly lat: Float64Array;
  readonly ok: Uint8Array;
  readonly kind: (string | undefined)[];
  head = 0;
  size = 0;
  lastError: LiveFigures['lastError'] = null;
  lastSuccessAt: number | null = null;
  lastAttemptAt: number | null = null;
  lastProbe: LiveFigures['lastProbe'] = null;
  /** Figures computed at some time, valid until a new attempt arrives or the oldest one in them leaves the window. */
  cached: LiveFigures | undefined;
  cachedUntil = -Infinity;
  cachedFrom = Infinity;

  constructor(cap: number) {
    this.at = new Float64Array(cap);
    this.lat = new Float64Array(cap);
    this.ok = new Uint8Array(cap);
    this.kind = new Array<string | undefined>(cap);
  }

  push(at: number, latency: number, ok: boolean, kind: string | undefined): void {
    const cap = this.at.length;
    this.at[this.head] = at;
    this.lat[this.head] = latency;
    this.ok[this.head] = ok ? 1 : 0;
    this.kind[this.head] = kind;
    this.head = (this.head + 1) % cap;
    if (this.size < cap) this.size++;
    this.cached = undefined;
  }
}

/**
 * Each deployment's success rate, latency p50/p95 and last error over a sliding time window, from the attempts the
 * gateway reports. Memory is bounded: at most `maxSamples` attempts per deployment and `maxDeployments`
 * deployments. Time comes from the injected clock. Figures are computed when asked and kept until the next attempt
 * or until the oldest attempt in them leaves the window, so routing many calls between attempts costs a lookup.
 */
export class LiveStats {
  readonly windowMs: number;
  readonly maxSamples: number;
  readonly maxDeployments: number;
  private readonly clock: Clock;
  private readonly rings = new Map<string, Ring>();
  private droppedCount = 0;

  constructor(clock: Clock, opts: LiveStatsOptions = {}) {
    const issues: { path: string[]; message: string }[] = [];
    const check = (name: keyof LiveStatsOptions, min: number, integer: boolean): number | undefined => {
      const v = opts[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) issues.push({ path: [name], message: `expected ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(v)}` });
      return v;
    };
    const windowMs = check('windowMs', 1, false);
    const maxSamples = check('maxSamples', 1, true);
    const maxDeployments = check('maxDeployments', 1, true);
    if (issues.length) throw new ValidationError('live stats options', issues);
    this.clock = clock;
    this.windowMs = windowMs ?? 300_000;
    this.maxSamples = maxSamples ?? 256;
    this.maxDeployments = maxDeployments ?? 1024;
  }

  /** Attempts dropped because `maxDeployments` deployments were already tracked. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Record one finished attempt of `modelId`. A `bad_request` (the request's fault) is not the deployment's and is ignored. */
  record(modelId: string, s: AttemptSample): void {
    checkSample(modelId, s);
    const kind = s.ok ? undefined : (s.errorKind ?? 'error');
    const effect = kind === undefined ? 'ok' : attemptEffect(kind);
    if (effect === 'ignore') return;
    const ring = this.ring(modelId);
    if (!ring) return;
    ring.push(s.at, effect === 'failure' ? Number.NaN : s.latencyMs, s.ok, kind);
    if (ring.lastAttemptAt === null || s.at >= ring.lastAttemptAt) ring.lastAttemptAt = s.at;
    if (kind === undefined) {
      if (ring.lastSuccessAt === null || s.at >= ring.lastSuccessAt) ring.lastSuccessAt = s.at;
    } else if (ring.lastError === null || s.at >= ring.lastError.at) ring.lastError = { kind, at: s.at, probe: false };
  }

  /**
   * Record an active health check. It is kept apart from the window (a one-token reply says nothing about a real
   * call's latency): it sets `lastProbe`, and a failed one `lastError`.
   */
  recordProbe(modelId: string, s: AttemptSample): void {
    checkSample(modelId, s);
    const ring = this.ring(modelId);
    if (!ring) return;
    const kind = s.ok ? undefined : (s.errorKind ?? 'error');
    ring.lastProbe = { ok: s.ok, at: s.at, latencyMs: s.latencyMs, ...(kind !== undefined && { kind }) };
    if (kind !== undefined && (ring.lastError === null || s.at >= ring.lastError.at)) ring.lastError = { kind, at: s.at, probe: true };
    ring.cached = undefined;
  }

  /**
   * Record every provider attempt of a finished call (telemetry's record): `ok` and `repair_ok` succeed, a failure
   * kind fails, `skipped:*` attempts (nothing was sent) and the local handler are left out. `at` is when the call
   * ended (default: now).
   */
  recordCall(r: CallRecord, at: number = this.clock.now()): void {
    for (const a of r.attempts) {
      if (a.provider === 'local' || a.outcome.startsWith('skipped:')) continue;
      const ok = a.outcome === 'ok' || a.outcome === 'repair_ok';
      this.record(`${a.provider}:${a.model}`, { ok, latencyMs: Math.max(0, a.ms), ...(!ok && { errorKind: a.outcome }), at });
    }
  }

  /** When `modelId` last had a real attempt or a health check (null: never). */
  lastActivityAt(modelId: string): number | null {
    const r = this.rings.get(modelId);
    if (!r) return null;
    const a = r.lastAttemptAt ?? -Infinity;
    const p = r.lastProbe?.at ?? -Infinity;
    const last = Math.max(a, p);
    return Number.isFinite(last) ? last : null;
  }

  /** The figures of one deployment now (zero attempts when it has none). */
  figures(modelId: string): LiveFigures {
    const r = this.rings.get(modelId);
    if (!r) return this.empty(modelId);
    const now = this.clock.now();
    if (r.cached && now < r.cachedUntil && now >= r.cachedFrom) return r.cached;
    return this.compute(modelId, r, now);
  }

  /** Every tracked deployment's figures now, by id. */
  snapshot(): Record<string, LiveFigures> {
    const out: Record<string, LiveFigures> = {};
    for (const id of [...this.rings.keys()].sort()) out[id] = this.figures(id);
    return out;
  }

  private ring(modelId: string): Ring | undefined {
    let r = this.rings.get(modelId);
    if (!r) {
      if (this.rings.size >= this.maxDeployments) {
        this.droppedCount++;
        return undefined;
      }
      r = new Ring(this.maxSamples);
      this.rings.set(modelId, r);
    }
    return r;
  }

  private compute(id: string, r: Ring, now: number): LiveFigures {
    const from = now - this.windowMs;
    const cap = r.at.length;
    const lats: number[] = [];
    let successes = 0;
    let failures = 0;
    let byKind: Record<string, number> | undefined;
    let oldest = Infinity;
    for (let i = 0; i < r.size; i++) {
      const k = (r.head - 1 - i + cap) % cap;
      const at = r.at[k] as number;
      if (at <= from) continue;
      if (at < oldest) oldest = at;
      const lat = r.lat[k] as number;
      if (!Number.isNaN(lat)) lats.push(lat);
      if (r.ok[k]) successes++;
      else {
        failures++;
        const kind = r.kind[k] ?? 'error';
        byKind ??= {};
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
    }
    lats.sort((a, b) => a - b);
    const n = lats.length;
    const q = (p: number): number => lats[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] as number;
    const attempts = successes + failures;
    const f: LiveFigures = {
      id,
      windowMs: this.windowMs,
      attempts,
      successes,
      failures,
      successRate: attempts ? successes / attempts : null,
      latencyMs: n ? { p50: q(0.5), p95: q(0.95), samples: n } : null,
      failuresByKind: byKind ?? NO_FAILURES,
      lastError: r.lastError,
      lastSuccessAt: r.lastSuccessAt,
      lastAttemptAt: r.lastAttemptAt,
      lastProbe: r.lastProbe,
    };
    r.cached = f;
    r.cachedFrom = now;
    // Valid until the oldest attempt counted leaves the window (an attempt newer than `now` is counted already).
    r.cachedUntil = Number.isFinite(oldest) ? oldest + this.windowMs : Infinity;
    return f;
  }

  private empty(id: string): LiveFigures {
    return { id, windowMs: this.windowMs, attempts: 0, successes: 0, failures: 0, successRate: null, latencyMs: null, failuresByKind: NO_FAILURES, lastError: null, lastSuccessAt: null, lastAttemptAt: null, lastProbe: null };
  }
}

function checkSample(modelId: string, s: AttemptSample): void {
  const issues: { path: string[]; message: string }[] = [];
  if (typeof modelId !== 'string' || modelId.length === 0) issues.push({ path: ['modelId'], message: 'expected a non-empty model id (provider:model)' });
  if (typeof s.ok !== 'boolean') issues.push({ path: ['ok'], message: 'expected true or false' });
  if (typeof s.latencyMs !== 'number' || !(s.latencyMs >= 0) || !Number.isFinite(s.latencyMs)) issues.push({ path: ['latencyMs'], message: `expected a finite number >= 0, got ${String(s.latencyMs)}` });
  if (typeof s.at !== 'number' || !Number.isFinite(s.at)) issues.push({ path: ['at'], message: `expected a finite time in ms, got ${String(s.at)}` });
  if (issues.length) throw new ValidationError('live stats attempt', issues);
}
