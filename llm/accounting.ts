import type { Clock } from '../shared/index.ts';
import { Budgets } from './budgets.ts';
import type { BudgetAlert, BudgetConfig, BudgetSubject, LabelledItem } from './budgets.ts';
import { costUsd, estimateCostUsd, MICROS_PER_USD, toMicros } from './cost.ts';
import { BudgetExceededError, LlmError, RateLimitedError } from './errors.ts';
import type { ModelInfo } from './registry.ts';
import type { CounterStore } from './stores/counterStore.ts';
import type { Usage } from './types.ts';

/** A granted reservation, settled once with real usage. */
export interface Reservation {
  readonly items: readonly LabelledItem[];
  readonly tokens: number;
  readonly micros: number;
}

const MINUTE_MS = 60_000;

/**
 * Reserve-then-settle accounting of one attempt: model rpm/tpm and room/tenant budgets move together
 * in one atomic reservation sized by an upper-bound estimate (input estimate + max output tokens), so
 * concurrent calls never push spend past a hard limit; settling adds the difference to the real usage.
 */
export class Accounting {
  readonly budgets: Budgets;
  private readonly store: CounterStore;
  private readonly clock: Clock;
  private readonly onAlert: ((a: BudgetAlert) => void) | undefined;

  constructor(store: CounterStore, clock: Clock, budgets: BudgetConfig = {}, onAlert?: (a: BudgetAlert) => void) {
    this.store = store;
    this.clock = clock;
    this.budgets = new Budgets(budgets);
    this.onAlert = onAlert;
  }

  /** Whether any room/tenant budget has passed its soft level; returns the first such label. */
  async softPassed(subject: BudgetSubject): Promise<string | undefined> {
    const items = this.budgets.softKeys(subject, this.clock.now()).filter((i) => Number.isFinite(i.soft));
    if (items.length === 0) return undefined;
    const vals = await this.store.get(items.map((i) => i.key));
    const k = items.findIndex((i, j) => (vals[j] as number) >= i.soft);
    return k < 0 ? undefined : `${(items[k] as LabelledItem).scope} ${(items[k] as LabelledItem).metric}`;
  }

  /**
   * Reserve an attempt on `model`; resolves to the reservation or to the typed refusal (never throws
   * for a refusal, so the gateway can move on to a cheaper link).
   */
  async reserve(model: ModelInfo, inputTokens: number, maxTokens: number, subject: BudgetSubject, alertUsd: number | undefined): Promise<Reservation | LlmError> {
    const now = this.clock.now();
    const tokens = inputTokens + maxTokens;
    const micros = toMicros(estimateCostUsd(model, inputTokens, maxTokens));
    const items: LabelledItem[] = [];
    const minute = Math.floor(now / MINUTE_MS);
    if (model.rpm > 0) items.push({ scope: 'model', metric: 'rpm', key: `rpm:${model.id}:${minute}`, amount: 1, limit: model.rpm, soft: Infinity, ttlMs: 2 * MINUTE_MS });
    if (model.tpm > 0) items.push({ scope: 'model', metric: 'tpm', key: `tpm:${model.id}:${minute}`, amount: tokens, limit: model.tpm, soft: Infinity, ttlMs: 2 * MINUTE_MS });
    items.push(...this.budgets.items(subject, tokens, micros, now));
    if (alertUsd !== undefined && !items.some((i) => i.scope === 'tenant' && i.metric === 'cost')) {
      // Track the tenant's daily spend for the tier's cost alert even without a tenant budget.
      items.push({ scope: 'tenant', metric: 'cost', key: `budget:tenant:${subject.tenant}:${Math.floor(now / 86_400_000)}:usd`, amount: micros, limit: Infinity, soft: Infinity, ttlMs: 90_000_000 });
    }
    if (items.length === 0) return { items, tokens, micros };
    let r;
    try {
      r = await this.store.reserve(items);
    } catch (err) {
      if (err instanceof LlmError) return err; // e.g. the shared counters are unreachable: refuse, do not spend unchecked
      throw err;
    }
    if (!r.ok) {
      const bad = items[r.failed] as LabelledItem;
      if (bad.scope === 'model') return new RateLimitedError(`${model.id} ${bad.metric} (${bad.limit})`, MINUTE_MS - (now % MINUTE_MS));
      const metric = bad.metric === 'tokens' ? 'tokens' : 'cost';
      const unit = (v: number): string => (metric === 'cost' ? `$${(v / MICROS_PER_USD).toFixed(6)}` : `${v} tokens`);
      return new BudgetExceededError(bad.scope, metric, `${unit(r.before[r.failed] as number)} spent + ${unit(bad.amount)} reserved > ${unit(bad.limit)}`);
    }
    this.alerts(items, r.before, subject, alertUsd);
    return { items, tokens, micros };
  }

  /** Settle a reservation with the real usage (zero usage refunds it). Returns the cost in USD. */
  async settle(res: Reservation, model: Pick<ModelInfo, 'price'>, usage: Usage): Promise<number> {
    const usd = costUsd(model, usage);
    const dTok = usage.inputTokens + usage.outputTokens - res.tokens;
    const dMicros = toMicros(usd) - res.micros;
    const adds = res.items
      .filter((i) => i.metric !== 'rpm')
      .map((i) => ({ key: i.key, amount: i.metric === 'cost' ? dMicros : dTok, ttlMs: i.ttlMs }))
      .filter((a) => a.amount !== 0);
    if (adds.length) await this.store.add(adds);
    return usd;
  }

  private alerts(items: readonly LabelledItem[], before: readonly number[], subject: BudgetSubject, alertUsd: number | undefined): void {
    if (!this.onAlert) return;
    const k = items.findIndex((i) => i.scope === 'tenant' && i.metric === 'cost');
    const thresholds: { fraction: number; limitUsd: number }[] = [];
    const item = k >= 0 ? (items[k] as LabelledItem) : undefined;
    const limit = item ? (Number.isFinite(item.limit) ? item.limit : item.soft) : Infinity;
    if (Number.isFinite(limit)) for (const f of this.budgets.config.alertFractions ?? [0.8, 1]) thresholds.push({ fraction: f, limitUsd: limit / MICROS_PER_USD });
    if (alertUsd !== undefined) thresholds.push({ fraction: 1, limitUsd: alertUsd });
    if (thresholds.length === 0 || !item) return;
    const b = before[k] as number;
    const a = b + item.amount;
    for (const t of thresholds) {
      const at = t.fraction * t.limitUsd * MICROS_PER_USD;
      if (b < at && a >= at) {
        try {
          this.onAlert({ scope: 'tenant', subject: subject.tenant, tenant: subject.tenant, day: Math.floor(this.clock.now() / 86_400_000), spentUsd: a / MICROS_PER_USD, limitUsd: t.limitUsd, fraction: t.fraction });
        } catch {
          // an alert hook failure never fails a call
        }
      }
    }
  }
}
