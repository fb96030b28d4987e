import { estimateCostUsd } from './cost.ts';
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

export interface RoutingOptions {
  readonly strategy?: Strategy;
  /** Model id (`provider:model`) for the pinned strategy. */
  readonly pinned?: string;
  readonly constraints?: RouteConstraints;
  readonly weights?: BalanceWeights;
  /** Fallbacks after the primary (cloud links; local is always appended). Default 2. */
  readonly maxFallbacks?: number;
}

/** A scored candidate. */
export interface Candidate {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  /** Upper-bound cost estimate of this call, USD. */
  readonly estCostUsd: number;
  readonly latencyMs: number;
  readonly quality: number;
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
  readonly inputTokens: number;
  readonly maxTokens: number;
  readonly needsJson: boolean;
  readonly needsStreaming: boolean;
}

export const DEFAULT_WEIGHTS: BalanceWeights = { cost: 0.4, quality: 0.4, latency: 0.2 };

/** Picks a primary and fallbacks from the registry's models whose provider is configured. */
export class Router {
  private readonly models: readonly ModelInfo[];
  private rr = 0;

  /** `models`: enabled models of configured providers. */
  constructor(models: readonly ModelInfo[]) {
    this.models = models;
  }

  route(req: RouteRequest, opts: RoutingOptions = {}): RoutingDecision {
    const strategy = opts.strategy ?? 'balanced';
    const c = opts.constraints ?? {};
    const excluded: { id: string; reason: string }[] = [];
    const eligible: Omit<Candidate, 'score'>[] = [];
    for (const m of this.models) {
      const est = estimateCostUsd(m, req.inputTokens, req.maxTokens);
      const why = exclusion(m, req, c, est);
      if (why) excluded.push({ id: m.id, reason: why });
      else eligible.push({ id: m.id, provider: m.provider, model: m.model, estCostUsd: est, latencyMs: m.latencyMs, quality: m.quality });
    }
    let scored = score(eligible, strategy, opts.weights ?? DEFAULT_WEIGHTS);
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
    const reason = p
      ? `${strategy}: ${p.id} (score ${fmt(p.score)}, est $${p.estCostUsd.toFixed(6)}, quality ${p.quality}, ~${p.latencyMs} ms); fallbacks ${chain.slice(1).map((x) => x.id).join(', ') || 'none'} then local; ${excluded.length} excluded${note}`
      : `${strategy}: no eligible cloud model (${excluded.length} excluded), local only${note}`;
    return { strategy, chain, scores: scored, excluded, reason };
  }
}

function exclusion(m: ModelInfo, req: RouteRequest, c: RouteConstraints, est: number): string | undefined {
  if (c.excludedProviders?.includes(m.provider)) return 'provider excluded';
  if (req.needsJson && !m.capabilities.json) return 'no JSON output';
  if (req.needsStreaming && !m.capabilities.streaming) return 'no streaming';
  if (req.inputTokens + req.maxTokens > m.contextWindow) return `context window ${m.contextWindow} too small`;
  if (c.maxCostUsd !== undefined && est > c.maxCostUsd) return `est $${est.toFixed(6)} > max $${c.maxCostUsd}`;
  if (c.maxLatencyMs !== undefined && m.latencyMs > c.maxLatencyMs) return `latency ${m.latencyMs} ms > max ${c.maxLatencyMs} ms`;
  if (c.minQuality !== undefined && m.quality < c.minQuality) return `quality ${m.quality} < min ${c.minQuality}`;
  return undefined;
}

function score(xs: Omit<Candidate, 'score'>[], strategy: Strategy, w: BalanceWeights): Candidate[] {
  const norm = (v: number, lo: number, hi: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0);
  const costs = xs.map((x) => x.estCostUsd);
  const lats = xs.map((x) => x.latencyMs);
  const [cLo, cHi, lLo, lHi] = [Math.min(...costs), Math.max(...costs), Math.min(...lats), Math.max(...lats)];
  const wsum = w.cost + w.quality + w.latency || 1;
  const out = xs.map((x) => {
    const cheap = 1 - norm(x.estCostUsd, cLo, cHi);
    const fast = 1 - norm(x.latencyMs, lLo, lHi);
    let s: number;
    if (strategy === 'cost') s = cheap + 1e-3 * x.quality;
    else if (strategy === 'performance') s = 0.7 * x.quality + 0.3 * fast;
    else s = (w.cost * cheap + w.quality * x.quality + w.latency * fast) / wsum;
    return { ...x, score: s };
  });
  // Stable order: by score, then registry order.
  return out.map((x, i) => ({ x, i })).sort((a, b) => b.x.score - a.x.score || a.i - b.i).map((e) => e.x);
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
