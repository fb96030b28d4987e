import type { Span } from '@opentelemetry/api';
import type { ZodType } from 'zod';
import type { BattleContext, Mind, MindRequest, Plan, PlanPayer, PlanReply, PlanRequest, ReplyInput } from '../actors/index.ts';
import { asTraceCarrier, contextWith, endSpan, runWorkflow, startSpan } from '../llm/index.ts';
import type { CallResult, LlmGateway, TraceCarrier, Workflow } from '../llm/index.ts';
import { FOE_LABEL_BASE } from './tacticsSituation.ts';
import { tacticsWorkflow } from './tacticsWorkflow.ts';
import type { TacticsAnswer, TacticsInput, TacticsState } from './tacticsWorkflow.ts';

/** What cloud tactics needs: the gateway (with the local tactician registered for `tactics`) and the plan schema. */
export interface CloudTacticsOptions {
  readonly gateway: LlmGateway;
  /** The plan schema (the simulation's `PlanSchema`; minds import only types from actors/, so it is passed in). */
  readonly schema: ZodType<Plan>;
  /** Gateway operation (default `tactics`). */
  readonly operation?: string;
  /** The tenant (studio or game) the asks are accounted to (default `default`). */
  readonly tenant?: string;
  /**
   * Key asks by the quantised situation (default true): a plan cached for one battle serves another that looks
   * alike. False: the gateway's own exact-match key (the whole prompt).
   */
  readonly situationCache?: boolean;
}

/** Counters since start. */
export interface CloudTacticsStats {
  requests: number;
  /** Answered by a cloud model (or the cache). */
  cloud: number;
  /** Of those, served from the response cache (a plan made for a battle like this one). */
  cached: number;
  /** Answered by the gateway's local handler (tier refused, budget passed, providers down). */
  local: number;
  /** Of those, answered locally because a budget (the room's, a player's, the deployment's…) was spent. */
  overBudget: number;
  /** Of those, answered by the workflow's fallback after a step failed (the call threw, the plan could not be mapped). */
  fallback: number;
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
  if (r.payers !== undefined && (!Array.isArray(r.payers) || r.payers.some((x) => !x || typeof x.account !== 'string' || typeof x.tier !== 'string'))) return 'plan request.payers must be a list of { account, tier }';
  return undefined;
}

/** Most slot schemas kept (one per pack size and foe count seen). */
const SLOT_SCHEMAS_KEPT = 256;

/**
 * The `plan` port's mind: asks the LLM gateway for a pack plan (operation `tactics`, the plan schema as the output
 * schema, the context as compact JSON). Each ask runs the declared workflow {@link tacticsWorkflow} (context, ask,
 * validate with one repair, fallback to the local tactician) through {@link runWorkflow}, within the request's deadline.
 *
 * Plans in relative terms: the model sees the battle as a {@link tacticsSituation} (members numbered 1..N, the
 * leader first, players 101, 102, …; no ids, names, time or absolute position) and answers in those numbers. The
 * ask carries the quantised situation as its `cacheKey`, so the gateway caches the plan under the situation and
 * serves it to any battle that looks alike, from any pack or room. Whatever comes back (a fresh answer, a cached
 * one, the local handler's) is mapped from slots onto this battle's ids ({@link planToIds}), and the coordinator
 * validates it against the live world like any plan. The output schema is the plan schema narrowed to this
 * battle's numbers, so an answer naming a member or player that is not there is repaired by the gateway, not cached.
 *
 * Who pays: the nearest player in the battle whose tier allows cloud tactics (their tier's limits and budget count
 * for them); when no such player is there, the room itself on the room's tier. The room's `budgetUsd` is a hard
 * budget the gateway holds atomically (shared through Redis when configured), alongside the player's, the tenant's
 * and the deployment's. Whenever a tier or budget refuses, or every provider fails, the gateway's local handler
 * (the local tactician) answers. Never throws: each request gets a reply.
 *
 * With tracing on, each ask is a span (`coordinator.ask <operation>`) from the moment the batch arrives to its reply,
 * starting a trace of its own and linked to what the host handed with the batch (the room's tick); the workflow's
 * span (`workflow tactics`) is its child, with a span per step, and the gateway call's spans sit under the `ask` step.
 */
export class CloudTactics implements Mind {
  readonly stats: CloudTacticsStats = { requests: 0, cloud: 0, cached: 0, local: 0, overBudget: 0, fallback: 0, errors: 0 };
  private readonly operation: string;
  private readonly tenant: string;
  private readonly slotSchemas = new Map<string, ZodType<Plan>>();
  /** The declared chain each ask runs (see {@link tacticsWorkflow}). */
  readonly workflow: Workflow<TacticsInput, TacticsState, TacticsAnswer>;

  constructor(private readonly opts: CloudTacticsOptions) {
    this.operation = opts.operation ?? 'tactics';
    this.tenant = opts.tenant ?? 'default';
    this.workflow = tacticsWorkflow({
      gateway: opts.gateway,
      operation: this.operation,
      tenant: this.tenant,
      situationCache: opts.situationCache !== false,
      slotSchema: (members, foes) => this.slotSchema(members, foes),
    });
  }

  /**
   * The plan schema for a battle of `members` members and `foes` players: members 1..members, targets
   * 101..100+foes or null. Its JSON schema is the plan schema's (the checks are refinements), so the cache key
   * does not change with it.
   */
  private slotSchema(members: number, foes: number): ZodType<Plan> {
    const k = `${members}:${foes}`;
    let s = this.slotSchemas.get(k);
    if (!s) {
      s = this.opts.schema.superRefine((plan, ctx) => {
        plan.assignments.forEach((a, i) => {
          if (a.member > members) ctx.addIssue({ code: 'custom', path: ['assignments', i, 'member'], message: `no member ${a.member}: members are 1..${members}` });
          if (a.target !== null && (a.target <= FOE_LABEL_BASE || a.target > FOE_LABEL_BASE + foes)) {
            ctx.addIssue({ code: 'custom', path: ['assignments', i, 'target'], message: foes ? `no player ${a.target}: players are ${FOE_LABEL_BASE + 1}..${FOE_LABEL_BASE + foes}, or null` : `no player ${a.target}: there are none, use null` });
          }
        });
      });
      if (this.slotSchemas.size >= SLOT_SCHEMAS_KEPT) this.slotSchemas.clear();
      this.slotSchemas.set(k, s);
    }
    return s;
  }

  serve(requests: readonly MindRequest[], signal?: AbortSignal, trace?: unknown): Promise<ReplyInput[]> {
    const cause = trace === undefined ? undefined : asTraceCarrier(trace);
    return Promise.all(requests.map((r) => this.one(r, signal, cause)));
  }

  /** The player who pays for a plan: the first (nearest) whose tier allows cloud tactics. */
  private payer(p: PlanRequest): PlanPayer | undefined {
    return p.payers?.find((x) => this.opts.gateway.cloudAllowed(x.tier, this.operation));
  }

  private async one(r: MindRequest, signal: AbortSignal | undefined, cause: TraceCarrier | undefined): Promise<ReplyInput> {
    this.stats.requests++;
    const span = startSpan(`coordinator.ask ${this.operation}`, { attributes: { 'lairmind.mind.request_id': r.requestId }, ...(cause?.links && { links: cause.links }) });
    const why = requestProblem(r.payload);
    if (why) {
      this.stats.errors++;
      endSpan(span, { error: 'invalid_request' });
      return { requestId: r.requestId, ok: false, error: why };
    }
    const p = r.payload as PlanRequest;
    const payer = this.payer(p);
    span?.setAttributes({ 'lairmind.room.id': p.room, 'lairmind.pack': p.context.pack, 'lairmind.tier': payer ? payer.tier : p.tier, 'lairmind.payer': payer ? 'player' : 'room' });
    try {
      const run = await runWorkflow(this.opts.gateway, this.workflow, { request: p, payer }, {
        deadlineMs: p.deadlineMs,
        ...(signal && { signal }),
        ...(span && { trace: { parent: contextWith(span) } }),
      });
      if (!run.ok) return this.errorReply(r, span, run.failure.error ?? run.failure.reason); // aborted, or the fallback failed too
      const { plan, answer } = run.value;
      // The workflow's fallback answered through the gateway's local handler: no call result, nothing spent by it.
      const source = answer ? { provider: answer.provider, model: answer.model, cached: answer.cached } : { provider: 'local', model: this.operation, cached: false };
      const outcome = answer ? this.count(answer) : this.countFallback();
      endSpan(span, {
        attributes: {
          'lairmind.outcome': outcome, 'lairmind.plan.provider': source.provider, 'lairmind.plan.model': source.model, 'lairmind.cost_usd': answer?.record.costUsd ?? 0,
          ...(run.fellBack && { 'lairmind.workflow.failed_step': run.failure.step }),
        },
      });
      // Why the local tactician's plan stands, when it does: the gateway's reason for not using the cloud.
      const why = answer ? (answer.provider === 'local' ? answer.record.fallbackReason ?? answer.decision?.reason ?? 'local only' : undefined) : run.fellBack ? run.failure.reason : undefined;
      const value: PlanReply = { plan, source, ...(why && { why: why.slice(0, 200) }) };
      return { requestId: r.requestId, ok: true, value };
    } catch (e) {
      return this.errorReply(r, span, e);
    }
  }

  private errorReply(r: MindRequest, span: Span | undefined, e: unknown): ReplyInput {
    this.stats.errors++;
    endSpan(span, { attributes: { 'lairmind.outcome': 'error' }, error: e });
    return { requestId: r.requestId, ok: false, error: `tactics: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300) };
  }

  /** Count an answer of the workflow's fallback (the local handler after a failed step). */
  private countFallback(): string {
    this.stats.local++;
    this.stats.fallback++;
    return 'fallback';
  }

  /** Count an answer; returns the ask's outcome: `cloud`, `cached`, `local` or `over_budget` (answered locally). */
  private count(res: CallResult<Plan>): string {
    if (res.provider === 'local') {
      this.stats.local++;
      if (res.record.fallbackReason?.includes('budget exceeded')) {
        this.stats.overBudget++;
        return 'over_budget';
      }
      return 'local';
    }
    this.stats.cloud++;
    if (res.cached) this.stats.cached++;
    return res.cached ? 'cached' : 'cloud';
  }
}
