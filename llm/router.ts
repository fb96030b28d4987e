import { estimateCostUsd } from './cost.ts';
import type { LiveFigures, LiveStats } from './liveStats.ts';
import type { ModelInfo } from './registry.ts';

/** How the primary and fallbacks are chosen. */
export type Strategy = 'cost' | 'performance' | 'balanced' | 'round_robin' | 'pinned';

/** Filters applied before scoring. */
export interface RouteConstraints {
  /** Most estimated USD per call. */
  readonly maxCostUsd?: number;
  /** Most typical latency, ms. */
  readonly maxLatencyMs?: number;
  /** Least quality score, 0..1. */
  readonly minQuality?: number;
  /** These providers' models come first (in this order), each group still ordered by score. */
  readonly preferredProviders?: readonly string[];
  /** Never route to these providers. */
  readonly excludedProviders?: readonly string[];
}

/** Weights of the balanced strategy (relative; normalised). */
export interface BalanceWeights {
  readonly cost: number;
  readonly quality: number;
  readonly latency: number;
}

/**
 * Routing on live figures (the `performance` and `balanced` strategies). `windowMs` and `healthChecks` are read once,
 * when the gateway is built; the rest apply per call.
 */
export interface LiveRouting {
  /** false: registry figures only. Default true (when the gateway keeps live figures). */
  readonly enabled?: boolean;
  /** Attempts in the window before a deployment's live figures replace the registry's (default 5). */
  readonly minSamples?: number;
  /** Below this live success rate (0..1) a deployment is unhealthy: ranked after every healthy one (default 0.8). */
  readonly minSuccessRate?: number;
  /** Length of the sliding window, ms (default 300 000). */
  readonly windowMs?: number;
  /** Active health checks of idle deployments (off unless given). */
  readonly healthChecks?: {
    /** How often to look for idle deployments, ms (default 60 000). */
    readonly intervalMs?: number;
    /** Probe a deployment with no attempt or check for this long, ms (default 300 000). */
    readonly idleMs?: number;
    /** Deadline of one check, ms (default 5 000). */
    readonly timeoutMs?: number;
  };
}

export const DEFAULT_LIVE_MIN_SAMPLES = 5;
export const DEFAULT_LIVE_MIN_SUCCESS_RATE = 0.8;

export interface RoutingOptions {
  readonly strategy?: Strategy;
  /** Model id (`provider:model`) for the pinned strategy. */
  readonly pinned?: string;
  readonly constraints?: RouteConstraints;
  readonly weights?: BalanceWeights;
  /** Fallbacks after the primary (cloud links; local is always appended). Default 2. */
  readonly maxFallbacks?: number;
  readonly live?: LiveRouting;
}

/** A scored candidate. */
export interface Candidate {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  /** Upper-bound cost estimate of this call, USD. */
  readonly estCostUsd: number;
  /** The latency the score used, ms: the live p50 when `latencyFrom` is `live`, else the registry's `latencyMs`. */
  readonly latencyMs: number;
  readonly latencyFrom: 'live' | 'registry';
  readonly quality: number;
  /** This deployment's attempts in the live window (absent without live figures or attempts). */
  readonly live?: { readonly attempts: number; readonly successRate: number; readonly p50Ms: number | null; readonly p95Ms: number | null };
  /** Why live figures rank this deployment down (`success 40% < 80% over 10 attempts`, `health check failed: …`). */
  readonly unhealthy?: string;
  /** Strategy score, higher is better. */
  readonly score: number;
}

/** The router's answer: the chain to try, every score, what was excluded and why. */
export interface RoutingDecision {
  readonly strategy: Strategy;
  /** Cloud links in order (primary first); the gateway appends local. */
  readonly chain: readonly Candidate[];
  /** All eligible candidates, best first. */
  readonly scores: readonly Candidate[];
  readonly excluded: readonly { readonly id: string; readonly reason: string }[];
  readonly reason: string;
}

/** What the router needs to know about a request. */
export interface RouteRequest {
  /** Prompt tokens (an upper bound over the models when they count differently). */
  readonly inputTokens: number;
  /** Prompt tokens as one model counts them (see tokens.ts `PromptTokens.of`); `inputTokens` when absent. */
  readonly inputTokensOf?: (m: ModelInfo) => number;
  readonly maxTokens: number;
  readonly needsJson: boolean;
  readonly needsStreaming: boolean;
}

export const DEFAULT_WEIGHTS: BalanceWeights = { cost: 0.4, quality: 0.4, latency: 0.2 };

/**
 * Picks a primary and fallbacks from the registry's models whose provider is configured. With live figures
 * ({@link useLiveStats}), `performance` and `balanced` score each deployment on its live latency p50 and success
 * rate once it has `live.minSamples` attempts in the window (the registry's figures until then), and rank an
 * unhealthy one (success rate under `live.minSuccessRate`, or its last health check failed with no success since)
 * after every healthy one. `cost`, `round_robin` and `pinned` use the registry's figures only.
 */
export class Router {
  private readonly models: readonly ModelInfo[];
  private rr = 0;
  private stats: LiveStats | undefined;

  /** `models`: enabled models of configured providers; `liveStats`: the gateway's live figures, if it keeps them. */
  constructor(models: readonly ModelInfo[], liveStats?: LiveStats) {
    this.models = models;
    this.stats = liveStats;
  }

  /** Route on these live figures from now on (undefined: registry figures only). */
  useLiveStats(stats: LiveStats | undefined): void {
    this.stats = stats;
  }

  /** The live figures routing reads, if any. */
  get liveStats(): LiveStats | undefined {
    return this.stats;
  }

  route(req: RouteRequest, opts: RoutingOptions = {}): RoutingDecision {
    const strategy = opts.strategy ?? 'balanced';
    const c = opts.constraints ?? {};
    const excluded: { id: string; reason: string }[] = [];
    const eligible: Omit<Candidate, 'score'>[] = [];
    const liveOn = this.stats !== undefined && opts.live?.enabled !== false && (strategy === 'performance' || strategy === 'balanced');
    const minSamples = opts.live?.minSamples ?? DEFAULT_LIVE_MIN_SAMPLES;
    const minRate = opts.live?.minSuccessRate ?? DEFAULT_LIVE_MIN_SUCCESS_RATE;
    for (const m of this.models) {
      const input = req.inputTokensOf ? req.inputTokensOf(m) : req.inputTokens;
      const est = estimateCostUsd(m, input, req.maxTokens);
      const why = exclusion(m, input, req, c, est);
      if (why) excluded.push({ id: m.id, reason: why });
      else {
        const base = { id: m.id, provider: m.provider, model: m.model, estCostUsd: est, latencyMs: m.latencyMs, latencyFrom: 'registry' as const, quality: m.quality };
        eligible.push(liveOn ? withLive(base, (this.stats as LiveStats).figures(m.id), minSamples, minRate) : base);
      }
    }
    let scored = score(eligible, strategy, opts.weights ?? DEFAULT_WEIGHTS, minSamples);
    let note = '';
    if (strategy === 'round_robin' && scored.length) {
      const k = this.rr++ % scored.length;
      scored = [...scored.slice(k), ...scored.slice(0, k)].map((x, i) => ({ ...x, score: scored.length - i }));
    } else if (strategy === 'pinned') {
      const i = scored.findIndex((x) => x.id === opts.pinned);
      if (i >= 0) scored = [{ ...(scored[i] as Candidate), score: Infinity }, ...scored.slice(0, i), ...scored.slice(i + 1)];
      else note = `; pinned ${opts.pinned ?? '(none)'} unavailable (${excluded.find((e) => e.id === opts.pinned)?.reason ?? 'not in registry'}), using balanced order`;
    }
    if (c.preferredProviders?.length) {
      const rank = (p: string): number => {
        const k = (c.preferredProviders as readonly string[]).indexOf(p);
        return k < 0 ? Infinity : k;
      };
      scored = scored.map((x, i) => ({ x, i })).sort((a, b) => rank(a.x.provider) - rank(b.x.provider) || a.i - b.i).map((e) => e.x);
    }
    const chain = spread(scored, 1 + Math.max(0, opts.maxFallbacks ?? 2));
    const p = chain[0];
    if (liveOn) note += liveNote(scored, minSamples);
    const reason = p
      ? `${strategy}: ${p.id} (score ${fmt(p.score)}, est $${p.estCostUsd.toFixed(6)}, quality ${p.quality}, ${latencyText(p)}); fallbacks ${chain.slice(1).map((x) => x.id).join(', ') || 'none'} then local; ${excluded.length} excluded${note}`
      : `${strategy}: no eligible cloud model (${excluded.length} excluded), local only${note}`;
    return { strategy, chain, scores: scored, excluded, reason };
  }
}

/** A candidate with its live figures applied: live p50 once it has enough latency samples, and its health. */
function withLive(base: Omit<Candidate, 'score'>, f: LiveFigures, minSamples: number, minRate: number): Omit<Candidate, 'score'> {
  let out: Omit<Candidate, 'score'> = base;
  if (f.attempts > 0) out = { ...out, live: { attempts: f.attempts, successRate: f.successRate ?? 0, p50Ms: f.latencyMs?.p50 ?? null, p95Ms: f.latencyMs?.p95 ?? null } };
  if (f.latencyMs && f.latencyMs.samples >= minSamples) out = { ...out, latencyMs: f.latencyMs.p50, latencyFrom: 'live' };
  let unhealthy: string | undefined;
  if (f.attempts >= minSamples && (f.successRate ?? 1) < minRate) unhealthy = `success ${pct(f.successRate ?? 0)} < ${pct(minRate)} over ${f.attempts} attempts`;
  else if (f.lastProbe && !f.lastProbe.ok && (f.lastSuccessAt ?? -Infinity) < f.lastProbe.at) unhealthy = `health check failed (${f.lastProbe.kind ?? 'error'}), no success since`;
  return unhealthy ? { ...out, unhealthy } : out;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function latencyText(c: Candidate): string {
  if (c.latencyFrom === 'registry') return `~${c.latencyMs} ms`;
  const l = c.live as NonNullable<Candidate['live']>;
  return `live p50 ${Math.round(c.latencyMs)} ms, p95 ${Math.round(l.p95Ms ?? c.latencyMs)} ms, ${pct(l.successRate)} ok of ${l.attempts}`;
}

/** Which figures each candidate was scored on, and which were ranked down. */
function liveNote(scored: readonly Candidate[], minSamples: number): string {
  const live = scored.filter((x) => x.latencyFrom === 'live').map((x) => x.id);
  const reg = scored.filter((x) => x.latencyFrom === 'registry').map((x) => x.id);
  const down = scored.filter((x) => x.unhealthy).map((x) => `${x.id} (${x.unhealthy})`);
  return `; live figures: ${live.join(', ') || 'none'}; registry figures (under ${minSamples} timed attempts): ${reg.join(', ') || 'none'}${down.length ? `; ranked down: ${down.join(', ')}` : ''}`;
}

function exclusion(m: ModelInfo, inputTokens: number, req: RouteRequest, c: RouteConstraints, est: number): string | undefined {
  if (c.excludedProviders?.includes(m.provider)) return 'provider excluded';
  if (req.needsJson && !m.capabilities.json) return 'no JSON output';
  if (req.needsStreaming && !m.capabilities.streaming) return 'no streaming';
  if (inputTokens + req.maxTokens > m.contextWindow) return `context window ${m.contextWindow} too small`;
  if (c.maxCostUsd !== undefined && est > c.maxCostUsd) return `est $${est.toFixed(6)} > max $${c.maxCostUsd}`;
  if (c.maxLatencyMs !== undefined && m.latencyMs > c.maxLatencyMs) return `latency ${m.latencyMs} ms > max ${c.maxLatencyMs} ms`;
  if (c.minQuality !== undefined && m.quality < c.minQuality) return `quality ${m.quality} < min ${c.minQuality}`;
  return undefined;
}

function score(xs: Omit<Candidate, 'score'>[], strategy: Strategy, w: BalanceWeights, minSamples: number): Candidate[] {
  const norm = (v: number, lo: number, hi: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0);
  const costs = xs.map((x) => x.estCostUsd);
  const lats = xs.map((x) => x.latencyMs);
  const [cLo, cHi, lLo, lHi] = [Math.min(...costs), Math.max(...costs), Math.min(...lats), Math.max(...lats)];
  const wsum = w.cost + w.quality + w.latency || 1;
  const out = xs.map((x) => {
    // Costs within twice the cheapest score in proportion to it (3% dearer loses 3% of the cost weight) rather than
    // being stretched over the whole range: near-equal estimates (the same price, prompts counted by different
    // tokenizers) must not decide a balanced choice on their own.
    const cheap = 1 - norm(x.estCostUsd, cLo, Math.max(cHi, 2 * cLo));
    const fast = 1 - norm(x.latencyMs, lLo, lHi);
    let s: number;
    if (strategy === 'cost') s = cheap + 1e-3 * x.quality;
    else if (strategy === 'performance') s = 0.7 * x.quality + 0.3 * fast;
    else s = (w.cost * cheap + w.quality * x.quality + w.latency * fast) / wsum;
    // Live figures: what fails often scores lower (only performance and balanced candidates carry them).
    if (x.live && x.live.attempts >= minSamples) s *= x.live.successRate;
    return { ...x, score: s };
  });
  // Stable order: healthy before unhealthy, then by score, then registry order.
  const down = (c: Candidate): number => (c.unhealthy ? 1 : 0);
  return out.map((x, i) => ({ x, i })).sort((a, b) => down(a.x) - down(b.x) || b.x.score - a.x.score || a.i - b.i).map((e) => e.x);
}

/** Take `n` links, preferring a provider not yet in the chain for each next fallback. */
function spread(xs: readonly Candidate[], n: number): Candidate[] {
  const chain: Candidate[] = [];
  const rest = [...xs];
  while (chain.length < n && rest.length) {
    const used = new Set(chain.map((c) => c.provider));
    const k = chain.length === 0 ? 0 : Math.max(0, rest.findIndex((c) => !used.has(c.provider)));
    chain.push(rest.splice(k, 1)[0] as Candidate);
  }
  return chain;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : 'pinned';
}
