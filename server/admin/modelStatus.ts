import { PRIORITY_CLASSES } from '../../llm/index.ts';
import type { BreakerStatus, CallRecord, LiveFigures, LlmGateway, ModelInfo } from '../../llm/index.ts';
import type { Clock } from '../../shared/index.ts';

/** A model as `GET /admin/models` and `lairmind models` show it. */
export interface ModelStatus {
  /** `provider:model`. */
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  /** The registry's switch. */
  readonly enabled: boolean;
  /** Whether the router may choose it: enabled, and its provider configured with a key. */
  readonly routable: boolean;
  /** Why it is not routable (null when it is). */
  readonly note: string | null;
  /** The registry entry as loaded (capabilities, context window, price, latency, quality, rpm, tpm, enabled). */
  readonly entry: Omit<ModelInfo, 'id'>;
  /** USD per 1M tokens, with the date it was checked. */
  readonly price: ModelInfo['price'];
  /** This process's live figures (success rate, latency p50/p95, last error over the window); null without them. */
  readonly live: LiveFigures | null;
  /** Breaker state now, by time (shared through Redis when configured); null for a model that is not routable. */
  readonly breaker: BreakerStatus | null;
  /** Milliseconds this process still lets the deployment rest after a Retry-After (0: not resting). */
  readonly coolingDownMs: number;
  /** Its provider's line in the gateway's queue: cap, attempts in flight, requests waiting per class; null when uncapped. */
  readonly queue: { readonly provider: string; readonly cap: number; readonly inFlight: number; readonly waiting: Readonly<Record<string, number>> } | null;
  /** Spend attributed to the model by this process (UTC day; and since the process started); null when not known. */
  readonly spend: { readonly day: string; readonly todayUsd: number; readonly sinceStartUsd: number } | null;
}

/** A model's status from its registry entry alone (no server to ask): what `lairmind models` shows without `--url`. */
export function registryModelStatus(m: ModelInfo, routable: boolean, note: string | null): ModelStatus {
  const { id, ...entry } = m;
  return { id, provider: m.provider, model: m.model, enabled: m.enabled, routable, note, entry, price: m.price, live: null, breaker: null, coolingDownMs: 0, queue: null, spend: null };
}

/** The UTC day of a time in ms, `YYYY-MM-DD`. */
function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Spend per model in the current UTC day, from the gateway's call records (each attempt's cost to the model that
 * spent it, as telemetry attributes it). Counts this process only; it starts at zero when the process starts.
 */
export class ModelSpendToday {
  private day = '';
  private readonly byModel = new Map<string, number>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** Add one finished call. */
  add(r: CallRecord): void {
    if (!(r.costUsd > 0)) return;
    const day = utcDay(r.startedAt);
    if (day < this.day) return; // a call that started yesterday and ended today belongs to yesterday
    if (day !== this.day) {
      this.day = day;
      this.byModel.clear();
    }
    let attributed = 0;
    for (const a of r.attempts) {
      if (!a.costUsd) continue;
      this.plus(`${a.provider}:${a.model}`, a.costUsd);
      attributed += a.costUsd;
    }
    if (r.costUsd - attributed > 1e-12) this.plus(`${r.provider}:${r.model}`, r.costUsd - attributed);
  }

  /** Today's spend of `id`, USD, and the day. */
  today(id: string): { day: string; usd: number } {
    const day = utcDay(this.clock.now());
    return { day, usd: day === this.day ? (this.byModel.get(id) ?? 0) : 0 };
  }

  private plus(id: string, usd: number): void {
    this.byModel.set(id, (this.byModel.get(id) ?? 0) + usd);
  }
}

/**
 * Every model of the registry with its live status on this server: whether it is routed to, price, live figures,
 * breaker, cooldown, queue depth and spend. `registry` lists every model (disabled ones and providers without a key
 * included); the gateway routes to the enabled ones of configured providers.
 */
export async function modelStatuses(llm: LlmGateway, registry: readonly ModelInfo[], spend: ModelSpendToday): Promise<ModelStatus[]> {
  const routable = new Set(llm.models.map((m) => m.id));
  const providers = new Set(llm.providers);
  const breakers = await llm.breakerStatus();
  const byModel = llm.telemetry.aggregates().costUsd.byModel;
  const stats = llm.router.liveStats;
  const queue = llm.queue;
  return registry.map((m) => {
    const on = routable.has(m.id);
    const note = on ? null : !m.enabled ? 'disabled in the registry' : providers.has(m.provider) ? 'not routed by this server' : `provider ${m.provider} is not configured (no key, or disabled in the config file)`;
    const cap = queue.cap(m.provider);
    const today = spend.today(m.id);
    return {
      ...registryModelStatus(m, on, note),
      live: on && stats ? stats.figures(m.id) : null,
      breaker: on ? (breakers[m.id] ?? 'closed') : null,
      coolingDownMs: Math.round(llm.cooldowns.remainingMs(m.id)),
      queue: cap === undefined ? null : { provider: m.provider, cap, inFlight: queue.inFlight(m.provider), waiting: Object.fromEntries(PRIORITY_CLASSES.map((c) => [c, queue.depth(c, m.provider)])) },
      spend: { day: today.day, todayUsd: today.usd, sinceStartUsd: byModel[m.id] ?? 0 },
    };
  });
}
