import { MICROS_PER_USD } from './cost.ts';
import type { CounterItem } from './stores/counterStore.ts';

/** A soft level (warn, prefer a cheaper model) and a hard level (refuse). Either may be absent. */
export interface Limit {
  readonly soft?: number;
  readonly hard?: number;
}

/** Limits of one budget scope, in tokens (input + output) and in USD. */
export interface BudgetScope {
  readonly tokens?: Limit;
  readonly costUsd?: Limit;
}

/** Budgets: per call, per room (or session), per tenant (player) per UTC day. */
export interface BudgetConfig {
  readonly call?: BudgetScope;
  readonly room?: BudgetScope;
  readonly tenant?: BudgetScope;
  /** Lifetime of a room's counters, ms (default 24 h). */
  readonly roomTtlMs?: number;
  /** Fractions of a tenant's daily cost limit at which the alert hook fires (default 0.8 and 1). */
  readonly alertFractions?: readonly number[];
}

/** A tenant passed a threshold of its daily budget. */
export interface BudgetAlert {
  readonly tenant: string;
  /** UTC day index (ms / 86 400 000). */
  readonly day: number;
  readonly spentUsd: number;
  readonly limitUsd: number;
  readonly fraction: number;
}

/** Who a call is accounted to. */
export interface BudgetSubject {
  readonly tenant: string;
  readonly room: string | undefined;
  /** Tenant daily limits of the caller's tier, overriding the configured tenant budget. */
  readonly tenantBudget?: BudgetScope;
}

/** An item of a reservation with what it stands for (to name the limit that refused). */
export interface LabelledItem extends CounterItem {
  readonly scope: 'room' | 'tenant' | 'model';
  readonly metric: 'tokens' | 'cost' | 'rpm' | 'tpm';
  readonly soft: number;
}

const DAY_MS = 86_400_000;

/** Counter keys and limits for budgets; the accounting layer reserves and settles them atomically. */
export class Budgets {
  readonly config: BudgetConfig;

  constructor(config: BudgetConfig = {}) {
    this.config = config;
  }

  /** Check a call's own limits against its estimate: `hard` throws upstream, `soft` prefers cheaper. */
  callLevel(tokens: number, costUsd: number): { level: 'ok' | 'soft' | 'hard'; metric?: 'tokens' | 'cost'; detail?: string } {
    const c = this.config.call;
    if (c?.tokens?.hard !== undefined && tokens > c.tokens.hard) return { level: 'hard', metric: 'tokens', detail: `estimate ${tokens} > ${c.tokens.hard} tokens` };
    if (c?.costUsd?.hard !== undefined && costUsd > c.costUsd.hard) return { level: 'hard', metric: 'cost', detail: `estimate $${costUsd.toFixed(6)} > $${c.costUsd.hard}` };
    if ((c?.tokens?.soft !== undefined && tokens > c.tokens.soft) || (c?.costUsd?.soft !== undefined && costUsd > c.costUsd.soft)) return { level: 'soft' };
    return { level: 'ok' };
  }

  /** Counter items for a reservation of `tokens` and `micros` (integer micro-dollars). */
  items(subject: BudgetSubject, tokens: number, micros: number, now: number): LabelledItem[] {
    const out: LabelledItem[] = [];
    const day = Math.floor(now / DAY_MS);
    const push = (scope: 'room' | 'tenant', key: string, s: BudgetScope | undefined, ttlMs: number): void => {
      if (!s) return;
      if (s.tokens) out.push({ scope, metric: 'tokens', key: `${key}:tok`, amount: tokens, limit: s.tokens.hard ?? Infinity, soft: s.tokens.soft ?? Infinity, ttlMs });
      if (s.costUsd) {
        out.push({ scope, metric: 'cost', key: `${key}:usd`, amount: micros, limit: toLimit(s.costUsd.hard), soft: toLimit(s.costUsd.soft), ttlMs });
      }
    };
    if (subject.room !== undefined) push('room', `budget:room:${subject.room}`, this.config.room, this.config.roomTtlMs ?? DAY_MS);
    push('tenant', `budget:tenant:${subject.tenant}:${day}`, subject.tenantBudget ?? this.config.tenant, DAY_MS + 3_600_000);
    return out;
  }

  /** Keys whose current values tell whether a soft level is already passed. */
  softKeys(subject: BudgetSubject, now: number): LabelledItem[] {
    return this.items(subject, 0, 0, now);
  }
}

function toLimit(usd: number | undefined): number {
  return usd === undefined ? Infinity : Math.floor(usd * MICROS_PER_USD);
}
