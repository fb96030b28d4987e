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
  /** Output tokens the attempt may ask for: the request's, cut so the worst case fits every remaining budget. */
  readonly maxTokens: number;
}

/** Spend past a hard limit: the provider reported more than was reserved. The scope is closed by it. */
export interface Overshoot {
  readonly scope: LabelledItem['scope'];
  readonly subject: string;
  readonly metric: 'tokens' | 'cost';
  /** Tokens, or USD for cost. */
  readonly amount: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Reserve-then-settle accounting of one attempt: model rpm/tpm and every budget scope (room, player, tenant,
 * deployment) move together in one atomic reservation sized by the worst case (input estimate + max output
 * tokens), so concurrent calls never push spend past a hard limit. When a budget is nearly spent the output
 * allowance is cut to what still fits; a prompt that cannot fit at all is refused before it is sent. Settling
 * adds the difference to the real usage; spend a provider reports beyond the reservation is counted as an
 * overshoot and leaves the scope at or past its limit, so it refuses from then on.
 */
export class Accounting {
  readonly budgets: Budgets;
  private readonly store: CounterStore;
  private readonly clock: Clock;
  private readonly onAlert: ((a: BudgetAlert) => void) | undefined;
  private readonly overshootListeners: ((o: Overshoot) => void)[] = [];

  constructor(store: CounterStore, clock: Clock, budgets: BudgetConfig = {}, onAlert?: (a: BudgetAlert) => void) {
    this.store = store;
    this.clock = clock;
    this.budgets = new Budgets(budgets);
    this.onAlert = onAlert;
  }

  /** Called for every overshoot (metrics). */
  onOvershoot(fn: (o: Overshoot) => void): void {
    this.overshootListeners.push(fn);
  }

  /** Current values of budget counters (micro-dollars for `:usd` keys, tokens for `:tok`). */
  spent(keys: readonly string[]): Promise<number[]> {
    return this.store.get(keys);
  }

  /** Whether any budget scope has passed its soft level; returns the first such label. */
  async softPassed(subject: BudgetSubject): Promise<string | undefined> {
    const items = this.budgets.softKeys(subject, this.clock.now()).filter((i) => Number.isFinite(i.soft));
    if (items.length === 0) return undefined;
    const vals = await this.store.get(items.map((i) => i.key));
    const k = items.findIndex((i, j) => (vals[j] as number) >= i.soft);
    return k < 0 ? undefined : `${(items[k] as LabelledItem).scope} ${(items[k] as LabelledItem).metric}`;
  }

  /**
   * Reserve an attempt on `model` for a prompt of `inputTokens` and up to `maxTokens` of output (cut to what the
   * budgets still allow, but never below `minOutputTokens`). Resolves to the reservation or to the typed refusal
   * (never throws for a refusal, so the gateway can move on to a cheaper link).
   */
  async reserve(model: ModelInfo, inputTokens: number, maxTokens: number, subject: BudgetSubject, alertUsd: number | undefined, minOutputTokens = 1): Promise<Reservation | LlmError> {
    const now = this.clock.now();
    const budgetItems = this.budgets.items(subject, 0, 0, now);
    if (alertUsd !== undefined) {
      // Track the principal's daily spend for the tier's cost alert even without a budget on it.
      const scope = subject.player !== undefined ? 'player' : 'tenant';
      const who = subject.player ?? subject.tenant;
      if (!budgetItems.some((i) => i.scope === scope && i.metric === 'cost')) {
        budgetItems.push({ scope, subject: who, metric: 'cost', key: `budget:${scope}:${who}:${Math.floor(now / DAY_MS)}:usd`, amount: 0, limit: Infinity, soft: Infinity, ttlMs: DAY_MS + 3_600_000 });
      }
    }
    // Reserve the worst case at once; when a budget cannot hold it, size the output to what is left and try once more.
    let out = maxTokens;
    for (let round = 0; ; round++) {
      const tokens = inputTokens + out;
      const micros = toMicros(estimateCostUsd(model, inputTokens, out));
      const items: LabelledItem[] = [];
      const minute = Math.floor(now / MINUTE_MS);
      if (model.rpm > 0) items.push({ scope: 'model', subject: model.id, metric: 'rpm', key: `rpm:${model.id}:${minute}`, amount: 1, limit: model.rpm, soft: Infinity, ttlMs: 2 * MINUTE_MS });
      if (model.tpm > 0) items.push({ scope: 'model', subject: model.id, metric: 'tpm', key: `tpm:${model.id}:${minute}`, amount: tokens, limit: model.tpm, soft: Infinity, ttlMs: 2 * MINUTE_MS });
      for (const i of budgetItems) items.push({ ...i, amount: i.metric === 'tokens' ? tokens : micros });
      if (items.length === 0) return { items, tokens, micros, maxTokens: out };
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
        if (round === 0 && Number.isFinite(bad.limit)) {
          const sized = await this.size(model, inputTokens, maxTokens, budgetItems, minOutputTokens);
          if (sized instanceof LlmError) return sized;
          if (sized < out) {
            out = sized;
            continue;
          }
        }
        const metric = bad.metric === 'tokens' ? 'tokens' : 'cost';
        const unit = (v: number): string => (metric === 'cost' ? `$${(v / MICROS_PER_USD).toFixed(6)}` : `${v} tokens`);
        return new BudgetExceededError(scopeLabel(bad), metric, `${unit(r.before[r.failed] as number)} spent + ${unit(bad.amount)} reserved > ${unit(bad.limit)}`);
      }
      this.alerts(items, r.before, subject, alertUsd);
      return { items, tokens, micros, maxTokens: out };
    }
  }

  /**
   * Output tokens an attempt may ask for: `maxTokens`, cut so that the worst case fits what every hard budget has
   * left; or the refusal when the prompt (plus `minOutputTokens`) does not fit.
   */
  private async size(model: ModelInfo, inputTokens: number, maxTokens: number, budgetItems: readonly LabelledItem[], minOutputTokens: number): Promise<number | LlmError> {
    const hard = budgetItems.filter((i) => Number.isFinite(i.limit));
    if (hard.length === 0) return maxTokens;
    let values: number[];
    try {
      values = await this.store.get(hard.map((i) => i.key));
    } catch (err) {
      if (err instanceof LlmError) return err;
      throw err;
    }
    let out = maxTokens;
    const inputMicros = inputTokens * model.price.input;
    const least = Math.min(minOutputTokens, maxTokens);
    for (const [k, item] of hard.entries()) {
      const left = item.limit - (values[k] as number);
      const tokens = item.metric === 'tokens';
      const prompt = tokens ? inputTokens : Math.ceil(inputMicros - 1e-9);
      if (left < prompt + least * (tokens ? 1 : model.price.output)) {
        const unit = (v: number): string => (tokens ? `${v} tokens` : `$${(v / MICROS_PER_USD).toFixed(6)}`);
        const what = left < prompt ? `the prompt alone (${unit(prompt)}) does not fit` : `no room for ${least} output tokens after the prompt (${unit(prompt)})`;
        return new BudgetExceededError(scopeLabel(item), tokens ? 'tokens' : 'cost', `${what}: ${unit(Math.max(0, left))} left of ${unit(item.limit)}`);
      }
      out = Math.min(out, tokens ? left - inputTokens : model.price.output > 0 ? Math.floor((left - inputMicros) / model.price.output) : Infinity);
    }
    return out;
  }

  /** Settle a reservation with the real usage (zero usage refunds it). Returns the cost in USD. */
  async settle(res: Reservation, model: Pick<ModelInfo, 'price'>, usage: Usage): Promise<number> {
    const usd = costUsd(model, usage);
    const dTok = usage.inputTokens + usage.outputTokens - res.tokens;
    const dMicros = toMicros(usd) - res.micros;
    const moved = res.items.filter((i) => i.metric !== 'rpm').map((i) => ({ item: i, amount: i.metric === 'cost' ? dMicros : dTok })).filter((a) => a.amount !== 0);
    if (moved.length === 0) return usd;
    const after = await this.store.add(moved.map((a) => ({ key: a.item.key, amount: a.amount, ttlMs: a.item.ttlMs })));
    for (const [k, a] of moved.entries()) {
      const i = a.item;
      if (a.amount <= 0 || i.scope === 'model' || !Number.isFinite(i.limit)) continue;
      const past = Math.min(a.amount, (after[k] as number) - i.limit);
      if (past <= 0) continue;
      const o: Overshoot = { scope: i.scope, subject: i.subject, metric: i.metric === 'tokens' ? 'tokens' : 'cost', amount: i.metric === 'cost' ? past / MICROS_PER_USD : past };
      for (const fn of this.overshootListeners) fn(o);
    }
    return usd;
  }

  private alerts(items: readonly LabelledItem[], before: readonly number[], subject: BudgetSubject, alertUsd: number | undefined): void {
    if (!this.onAlert) return;
    const principal = subject.player !== undefined ? 'player' : 'tenant';
    for (const [k, item] of items.entries()) {
      if (item.metric !== 'cost' || item.scope === 'model') continue;
      const thresholds: { fraction: number; limitUsd: number }[] = [];
      const limit = Number.isFinite(item.limit) ? item.limit : item.soft;
      if (Number.isFinite(limit)) for (const f of this.budgets.config.alertFractions ?? [0.8, 1]) thresholds.push({ fraction: f, limitUsd: limit / MICROS_PER_USD });
      if (alertUsd !== undefined && item.scope === principal) thresholds.push({ fraction: 1, limitUsd: alertUsd });
      const b = before[k] as number;
      const a = b + item.amount;
      for (const t of thresholds) {
        const at = t.fraction * t.limitUsd * MICROS_PER_USD;
        if (b < at && a >= at) {
          try {
            this.onAlert({ scope: item.scope, subject: item.subject, tenant: subject.tenant, day: Math.floor(this.clock.now() / DAY_MS), spentUsd: a / MICROS_PER_USD, limitUsd: t.limitUsd, fraction: t.fraction });
          } catch {
            // an alert hook failure never fails a call
          }
        }
      }
    }
  }
}

function scopeLabel(i: LabelledItem): string {
  return i.scope === 'model' || i.scope.startsWith('deployment') ? i.scope : `${i.scope} ${i.subject}`;
}
