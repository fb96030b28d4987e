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

/**
 * Budgets, each scope optional: per call; per room (or session) over its life; per player per UTC day; per tenant
 * (the studio or game the players belong to) per UTC day; and for the whole deployment per UTC day and per UTC
 * month. Every scope with a hard level is enforced by atomic reservations (shared through Redis when configured).
 */
export interface BudgetConfig {
  readonly call?: BudgetScope;
  readonly room?: BudgetScope;
  readonly player?: BudgetScope;
  readonly tenant?: BudgetScope;
  readonly deployment?: { readonly daily?: BudgetScope; readonly monthly?: BudgetScope };
  /** Lifetime of a room's counters, ms (default 24 h). */
  readonly roomTtlMs?: number;
  /** Fractions of a cost limit (player, tenant, deployment) at which the alert hook fires (default 0.8 and 1). */
  readonly alertFractions?: readonly number[];
}

/** Scopes a budget can belong to. */
export type BudgetScopeName = 'call' | 'room' | 'player' | 'tenant' | 'deployment-daily' | 'deployment-monthly';

/** A scope passed a threshold of its cost limit (or a tier's daily cost alert). */
export interface BudgetAlert {
  readonly scope: Exclude<BudgetScopeName, 'call'>;
  /** Who: the player id, tenant id, room id, or `deployment`. */
  readonly subject: string;
  /** The tenant of the call that passed the threshold. */
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
  /** The player (end user) the call is for, when there is one; tier limits then count per player. */
  readonly player?: string;
  readonly room: string | undefined;
  /** Daily limits of the caller's tier: they apply to the player (or, without a player, to the tenant). */
  readonly tierBudget?: BudgetScope;
  /** This room's own limits; with a configured room budget too, the stricter level of each applies. */
  readonly roomBudget?: BudgetScope;
}

/** An item of a reservation with what it stands for (to name the limit that refused). */
export interface LabelledItem extends CounterItem {
  readonly scope: Exclude<BudgetScopeName, 'call'> | 'model';
  /** Whose counter this is: a room, player or tenant id, `deployment`, or a model id. */
  readonly subject: string;
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

  /**
   * Counter items for a reservation of `tokens` and `micros` (integer micro-dollars): the room over its life, the
   * player and the tenant per UTC day, the deployment per UTC day and per UTC month.
   */
  items(subject: BudgetSubject, tokens: number, micros: number, now: number): LabelledItem[] {
    const out: LabelledItem[] = [];
    const day = Math.floor(now / DAY_MS);
    const push = (scope: LabelledItem['scope'], who: string, key: string, s: BudgetScope | undefined, ttlMs: number): void => {
      if (!s) return;
      if (s.tokens) out.push({ scope, subject: who, metric: 'tokens', key: `${key}:tok`, amount: tokens, limit: s.tokens.hard ?? Infinity, soft: s.tokens.soft ?? Infinity, ttlMs });
      if (s.costUsd) out.push({ scope, subject: who, metric: 'cost', key: `${key}:usd`, amount: micros, limit: toLimit(s.costUsd.hard), soft: toLimit(s.costUsd.soft), ttlMs });
    };
    const c = this.config;
    if (subject.room !== undefined) push('room', subject.room, roomKey(subject.room), stricter(c.room, subject.roomBudget), c.roomTtlMs ?? DAY_MS);
    if (subject.player !== undefined) push('player', subject.player, `budget:player:${subject.player}:${day}`, subject.tierBudget ?? c.player, DAY_MS + 3_600_000);
    push('tenant', subject.tenant, `budget:tenant:${subject.tenant}:${day}`, subject.player === undefined ? (subject.tierBudget ?? c.tenant) : c.tenant, DAY_MS + 3_600_000);
    push('deployment-daily', 'deployment', `budget:deployment:d:${day}`, c.deployment?.daily, DAY_MS + 3_600_000);
    push('deployment-monthly', 'deployment', `budget:deployment:m:${monthIndex(now)}`, c.deployment?.monthly, 32 * DAY_MS);
    return out;
  }

  /** The counter of a room's spend, micro-dollars. */
  roomCostKey(room: string): string {
    return `${roomKey(room)}:usd`;
  }

  /** Keys whose current values tell whether a soft level is already passed. */
  softKeys(subject: BudgetSubject, now: number): LabelledItem[] {
    return this.items(subject, 0, 0, now);
  }
}

/** Each level of two scopes, the lower where both set it (the configuration is a ceiling for a room's own limit). */
function stricter(a: BudgetScope | undefined, b: BudgetScope | undefined): BudgetScope | undefined {
  if (!a || !b) return a ?? b;
  const min = (x: number | undefined, y: number | undefined): number | undefined => (x === undefined ? y : y === undefined ? x : Math.min(x, y));
  const limit = (x: Limit | undefined, y: Limit | undefined): Limit | undefined => {
    if (!x || !y) return x ?? y;
    const hard = min(x.hard, y.hard);
    const soft = min(min(x.soft, y.soft), hard); // a soft level above the hard one would never be reached
    return { ...(soft !== undefined && { soft }), ...(hard !== undefined && { hard }) };
  };
  const tokens = limit(a.tokens, b.tokens);
  const costUsd = limit(a.costUsd, b.costUsd);
  return { ...(tokens && { tokens }), ...(costUsd && { costUsd }) };
}

function roomKey(room: string): string {
  return `budget:room:${room}`;
}

/** UTC month index (years × 12 + month) of a time in ms. */
export function monthIndex(now: number): number {
  const d = new Date(now);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function toLimit(usd: number | undefined): number {
  return usd === undefined ? Infinity : Math.floor(usd * MICROS_PER_USD);
}
