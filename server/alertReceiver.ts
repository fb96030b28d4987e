import type { BudgetAlert } from '../llm/index.ts';
import { redactedUrl } from '../llm/index.ts';

/** Deadline of one webhook post, ms. */
export const ALERT_POST_TIMEOUT_MS = 2000;
/** Webhook posts in flight at once; alerts past this are dropped (and counted). */
export const ALERT_MAX_IN_FLIGHT = 8;

export interface AlertReceiverOptions {
  /** The server's logger (pino), or anything with its `warn(obj, msg)`. */
  readonly logger: { warn(obj: object, msg: string): void };
  /** Where alerts are posted as JSON besides the log; the log shows only its scheme and host. */
  readonly webhookUrl?: string | undefined;
  readonly timeoutMs?: number;
  readonly maxInFlight?: number;
}

/** Receives the gateway's budget alerts: logs each one, and posts it to the webhook without blocking the caller. */
export interface AlertReceiver {
  /** The gateway's `onAlert`: returns at once. */
  readonly onAlert: (alert: BudgetAlert) => void;
  /** Posts answered 2xx, posts that failed (timeout, status, network), alerts dropped because too many posts were in flight. */
  readonly stats: { sent: number; failed: number; dropped: number };
  /** Posts in flight now. */
  inFlight(): number;
  /** Abort the posts in flight; resolves when they have settled. */
  close(): Promise<void>;
}

/** Why a post failed, as a small set of kinds (each is logged once). */
function failureKind(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; name?: string } } | undefined;
  if (e?.name === 'TimeoutError') return 'timeout';
  if (e?.name === 'AbortError') return 'aborted';
  return `network:${e?.cause?.code ?? e?.cause?.name ?? e?.name ?? 'error'}`;
}

/**
 * The budget alert receiver of the server. Every alert is logged at warn with its scope, subject, tenant, spend,
 * limit and fraction. With a webhook URL, each alert is also POSTed as JSON (`{type: 'lairmind.budget_alert', …}`)
 * fire-and-forget: each post has a deadline, at most `maxInFlight` are pending (more are dropped), redirects are not
 * followed, and a failure is logged once per kind (timeout, HTTP status, network error, dropped) with the URL
 * reduced to its host, since webhook URLs carry secrets.
 */
export function createAlertReceiver(opts: AlertReceiverOptions): AlertReceiver {
  const { logger, webhookUrl } = opts;
  const timeoutMs = opts.timeoutMs ?? ALERT_POST_TIMEOUT_MS;
  const maxInFlight = opts.maxInFlight ?? ALERT_MAX_IN_FLIGHT;
  const webhook = webhookUrl ? redactedUrl(webhookUrl) : undefined;
  const stats = { sent: 0, failed: 0, dropped: 0 };
  const pending = new Set<Promise<void>>();
  const closing = new AbortController();
  const logged = new Set<string>();
  const failed = (kind: string, counter: 'failed' | 'dropped'): void => {
    stats[counter]++;
    if (logged.has(kind)) return;
    logged.add(kind);
    logger.warn({ component: 'alerts', webhook, kind, timeoutMs, maxInFlight }, 'alerts: webhook post failed (further failures of this kind are counted, not logged)');
  };

  const post = async (alert: BudgetAlert): Promise<void> => {
    try {
      const res = await fetch(webhookUrl as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'lairmind.budget_alert', ...alert }),
        redirect: 'error',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]),
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) stats.sent++;
      else failed(`status:${res.status}`, 'failed');
    } catch (err) {
      failed(failureKind(err), 'failed');
    }
  };

  const onAlert = (alert: BudgetAlert): void => {
    logger.warn({ component: 'llm', scope: alert.scope, subject: alert.subject, tenant: alert.tenant, day: alert.day, spentUsd: alert.spentUsd, limitUsd: alert.limitUsd, fraction: alert.fraction }, `llm: budget alert: ${alert.scope} ${alert.subject} spent ${Math.round(alert.fraction * 100)} % of its limit`);
    if (!webhookUrl || closing.signal.aborted) return;
    if (pending.size >= maxInFlight) {
      failed('dropped', 'dropped');
      return;
    }
    const p = post(alert).finally(() => pending.delete(p));
    pending.add(p);
  };

  return {
    onAlert,
    stats,
    inFlight: () => pending.size,
    async close() {
      closing.abort(new DOMException('server closing', 'AbortError'));
      await Promise.allSettled([...pending]);
    },
  };
}
