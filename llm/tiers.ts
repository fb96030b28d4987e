import { RateLimitedError } from './errors.ts';
import type { BudgetScope } from './budgets.ts';
import type { CounterStore } from './stores/counterStore.ts';

/** Cloud call limits of one layer (undefined = unlimited; 0 = no cloud calls, local only). */
export interface LayerLimits {
  readonly hourly?: number;
  readonly daily?: number;
}

/** A player tier: per-layer limits (`*` for unlisted layers), its daily budget and a cost alert. */
export interface TierDefinition {
  readonly layers: Readonly<Record<string, LayerLimits>>;
  /** The tenant's daily budget for this tier (overrides the gateway-wide tenant budget). */
  readonly budget?: BudgetScope;
  /** Fire the alert hook when a tenant of this tier passes this many USD in a day. */
  readonly alertDailyCostUsd?: number;
}

/** Default tiers: free plays against the local tactician; premium gets a few cloud plans a day; whale is unlimited with alerts. */
export const DEFAULT_TIERS: Readonly<Record<string, TierDefinition>> = {
  free: { layers: { '*': { hourly: 0, daily: 0 } } },
  premium: { layers: { coordination: { hourly: 3, daily: 10 }, interaction: { hourly: 30, daily: 200 }, '*': { hourly: 30, daily: 200 } }, budget: { costUsd: { soft: 0.05, hard: 0.1 } } },
  whale: { layers: {}, alertDailyCostUsd: 1 },
};

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Tier gating and per-layer hourly/daily call limits over a shared {@link CounterStore}. */
export class TierLimiter {
  readonly tiers: Readonly<Record<string, TierDefinition>>;
  readonly defaultTier: string;
  private readonly store: CounterStore;

  constructor(store: CounterStore, tiers: Readonly<Record<string, TierDefinition>> = DEFAULT_TIERS, defaultTier = 'free') {
    if (!tiers[defaultTier]) throw new RangeError(`TierLimiter: default tier "${defaultTier}" is not defined (tiers: ${Object.keys(tiers).join(', ')})`);
    this.store = store;
    this.tiers = tiers;
    this.defaultTier = defaultTier;
  }

  /** The definition of `tier` (the default tier when undefined). Unknown names throw a RangeError. */
  tier(tier: string | undefined): TierDefinition {
    const name = tier ?? this.defaultTier;
    const t = this.tiers[name];
    if (!t) throw new RangeError(`unknown tier "${name}" (tiers: ${Object.keys(this.tiers).join(', ')})`);
    return t;
  }

  /** Limits of `layer` in `tier`. */
  limits(tier: string | undefined, layer: string): LayerLimits {
    const t = this.tier(tier);
    return t.layers[layer] ?? t.layers['*'] ?? {};
  }

  /** False when the tier allows no cloud calls at all for the layer (e.g. free coordination). */
  cloudAllowed(tier: string | undefined, layer: string): boolean {
    const l = this.limits(tier, layer);
    return l.hourly !== 0 && l.daily !== 0;
  }

  /** Count one cloud call against the hourly and daily limits, atomically; throws RateLimitedError when over. */
  async take(tenant: string, tier: string | undefined, layer: string, now: number): Promise<void> {
    const name = tier ?? this.defaultTier;
    const l = this.limits(name, layer);
    const windows = [
      { label: 'hourly', limit: l.hourly, ms: HOUR_MS },
      { label: 'daily', limit: l.daily, ms: DAY_MS },
    ].filter((w): w is { label: string; limit: number; ms: number } => w.limit !== undefined);
    if (windows.length === 0) return;
    const items = windows.map((w) => ({ key: `rl:${tenant}:${layer}:${w.label}:${Math.floor(now / w.ms)}`, amount: 1, limit: w.limit, ttlMs: w.ms + 60_000 }));
    const r = await this.store.reserve(items);
    if (!r.ok) {
      const w = windows[r.failed] as { label: string; ms: number; limit: number };
      throw new RateLimitedError(`tier ${name} ${layer} ${w.label} (${w.limit} calls)`, w.ms - (now % w.ms));
    }
  }
}
