import type { ZodType } from 'zod';
import type { BattleContext, Mind, MindRequest, Plan, PlanReply, PlanRequest, ReplyInput } from '../actors/index.ts';
import type { LlmGateway } from '../llm/index.ts';
import { tacticsMessages } from './tacticsPrompt.ts';

/** What cloud tactics needs: the gateway (with the local tactician registered for `tactics`) and the plan schema. */
export interface CloudTacticsOptions {
  readonly gateway: LlmGateway;
  /** The plan schema (the simulation's `PlanSchema`; minds import only types from actors/, so it is passed in). */
  readonly schema: ZodType<Plan>;
  /** Gateway operation (default `tactics`). */
  readonly operation?: string;
}

/** Counters since start. */
export interface CloudTacticsStats {
  requests: number;
  /** Answered by a cloud model (or the cache). */
  cloud: number;
  /** Answered by the gateway's local handler (tier refused, budget passed, providers down). */
  local: number;
  /** Refused here because the room's budget is spent. */
  overBudget: number;
  errors: number;
}

/** Why a payload is not a plan request, or undefined. */
function requestProblem(p: unknown): string | undefined {
  const r = p as Partial<PlanRequest> | null;
  if (!r || typeof r !== 'object') return 'plan request must be an object';
  const c = r.context as Partial<BattleContext> | undefined;
  if (!c || typeof c !== 'object' || !Array.isArray(c.members) || !Array.isArray(c.players) || typeof c.pack !== 'string') return 'plan request.context must be a battle context';
  if (typeof r.tier !== 'string' || !r.tier) return 'plan request.tier must be a tier name';
  if (typeof r.budgetUsd !== 'number' || !(r.budgetUsd >= 0)) return 'plan request.budgetUsd must be a number >= 0';
  if (typeof r.room !== 'string' || !r.room) return 'plan request.room must be a room id';
  if (typeof r.deadlineMs !== 'number' || !(r.deadlineMs > 0)) return 'plan request.deadlineMs must be a number > 0 (ms)';
  return undefined;
}

/**
 * The `plan` port's mind: asks the LLM gateway for a pack plan (operation `tactics`, the plan schema as the output
 * schema, the context as compact JSON, player names as untrusted text), within the room's tier and budget. The
 * gateway falls back to its local handler (the local tactician) when the tier refuses, a budget is passed or every
 * provider fails; this mind also stops calling once the room has spent its `budgetUsd` (the coordinator then keeps
 * the tactician's plan). Never throws: each request gets a reply.
 */
export class CloudTactics implements Mind {
  readonly stats: CloudTacticsStats = { requests: 0, cloud: 0, local: 0, overBudget: 0, errors: 0 };
  private readonly spent = new Map<string, number>();
  private readonly operation: string;

  constructor(private readonly opts: CloudTacticsOptions) {
    this.operation = opts.operation ?? 'tactics';
  }

  /** USD spent by a room so far. */
  spentBy(room: string): number {
    return this.spent.get(room) ?? 0;
  }

  serve(requests: readonly MindRequest[], signal?: AbortSignal): Promise<ReplyInput[]> {
    return Promise.all(requests.map((r) => this.one(r, signal)));
  }

  private async one(r: MindRequest, signal: AbortSignal | undefined): Promise<ReplyInput> {
    this.stats.requests++;
    const why = requestProblem(r.payload);
    if (why) {
      this.stats.errors++;
      return { requestId: r.requestId, ok: false, error: why };
    }
    const p = r.payload as PlanRequest;
    const spent = this.spentBy(p.room);
    if (spent >= p.budgetUsd && p.budgetUsd >= 0 && p.tier !== 'free') {
      this.stats.overBudget++;
      return { requestId: r.requestId, ok: false, error: `room LLM budget spent ($${spent.toFixed(4)} of $${p.budgetUsd})` };
    }
    try {
      const res = await this.opts.gateway.call({
        operation: this.operation,
        messages: tacticsMessages(p.context),
        schema: this.opts.schema,
        input: p.context,
        tenant: `room:${p.room}`,
        room: p.room,
        tier: p.tier,
        ...(signal && { signal }),
        deadlineMs: p.deadlineMs,
      });
      if (res.record.costUsd > 0) this.spent.set(p.room, spent + res.record.costUsd);
      if (res.provider === 'local') this.stats.local++;
      else this.stats.cloud++;
      const value: PlanReply = { plan: res.value, source: { provider: res.provider, model: res.model, cached: res.cached } };
      return { requestId: r.requestId, ok: true, value };
    } catch (e) {
      this.stats.errors++;
      return { requestId: r.requestId, ok: false, error: `tactics: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300) };
    }
  }
}
