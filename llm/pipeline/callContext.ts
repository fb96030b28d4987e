import type { Span } from '@opentelemetry/api';
import type { ZodType } from 'zod';
import type { BudgetSubject } from '../budgets.ts';
import type { LlmError } from '../errors.ts';
import { CallAbortedError } from '../errors.ts';
import { validateRequest } from '../gatewayTypes.ts';
import type { CallRequest } from '../gatewayTypes.ts';
import type { GuardedPrompt } from '../guard.ts';
import { resolvePreset } from '../presets.ts';
import { startCallSpan } from '../tracing.ts';
import type { OperationPreset } from '../presets.ts';
import type { RoutingDecision } from '../router.ts';
import type { AttemptRecord } from '../telemetry.ts';
import type { TierDefinition } from '../tiers.ts';
import type { PromptTokens } from '../tokens.ts';
import { now } from './parts.ts';
import type { GatewayParts } from './parts.ts';

/** A request as the steps see it: a call's, or a stream's (no schema). */
export type AnyRequest = CallRequest<unknown>;

/** What a call has done so far (attempts, usage, spend, why it moved on). */
export interface CallState {
  readonly requestId: string;
  /** `now()` at the start, ms. */
  readonly t0: number;
  /** Gateway clock at the start, ms. */
  readonly startedAt: number;
  /** `now()` by which the call must be answered, ms. */
  readonly deadlineAt: number;
  readonly attempts: AttemptRecord[];
  retries: number;
  repairs: number;
  readonly usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number };
  costUsd: number;
  fallbackReason: string | undefined;
  /** The first refusal (tier, budget, rate limit), thrown when nothing else answers and local fallback is off. */
  refusal: LlmError | undefined;
  lastError: unknown;
}

/** One call on its way through the steps. Each step fills what it owns. */
export interface CallContext {
  readonly req: AnyRequest;
  readonly preset: OperationPreset;
  readonly st: CallState;
  readonly tenant: string;
  readonly tierName: string | undefined;
  readonly schema: ZodType<unknown> | undefined;
  /** Stream mode: where text chunks go as they arrive (undefined for a call). */
  readonly sink: ((chunk: string) => void) | undefined;
  /** The caller's signal, joined with a stream consumer's cancel. */
  readonly signal: AbortSignal | undefined;
  /** Guard step: the rendered prompt, its JSON schema and token estimate. */
  prompt: GuardedPrompt;
  jsonSchema: Record<string, unknown> | undefined;
  /** The prompt counted with each model's tokenizer (OpenAI's own; the estimate where none is published). */
  counted: PromptTokens | undefined;
  /** The largest count over the routable models: the call's own budget and the output allowance use it. */
  inputTokens: number;
  /** Cache step: the key, when the operation may use the cache. */
  cacheKey: string | undefined;
  /** Tier step. */
  tierDef: TierDefinition | undefined;
  subject: BudgetSubject;
  /** Budget step: output tokens allowed by the call's own limit; whether its soft level is passed. */
  maxOut: number;
  callSoft: boolean;
  /** False once a tier or budget refused the cloud (the local handler answers). */
  cloud: boolean;
  /** Route step. */
  decision: RoutingDecision | undefined;
  /** The call's span when tracing is on (child of the caller's `trace.parent`); ended once by the record step. */
  readonly span: Span | undefined;
  spanEnded: boolean;
}

/** Validate step: check the request's shape, resolve its preset, start its state. */
export function createContext(g: GatewayParts, req: AnyRequest, sink: CallContext['sink'], signal: AbortSignal | undefined): CallContext {
  validateRequest(req);
  const preset = resolvePreset(req.operation, g.opts.presets, req.overrides);
  const t0 = now();
  if (signal?.aborted) throw new CallAbortedError({ cause: signal.reason });
  const tenant = req.tenant ?? 'anonymous';
  const tierName = req.tier ?? g.opts.defaultTier;
  return {
    req,
    preset,
    st: {
      requestId: g.nextRequestId(),
      t0,
      startedAt: g.clock.now(),
      deadlineAt: t0 + (req.deadlineMs ?? preset.deadlineMs),
      attempts: [],
      retries: 0,
      repairs: 0,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
      costUsd: 0,
      fallbackReason: undefined,
      refusal: undefined,
      lastError: undefined,
    },
    tenant,
    tierName,
    schema: req.schema,
    sink,
    signal,
    prompt: { system: '', messages: [], canary: '', hasUntrusted: false },
    jsonSchema: undefined,
    counted: undefined,
    inputTokens: 0,
    cacheKey: undefined,
    tierDef: undefined,
    subject: { tenant, room: req.room },
    maxOut: preset.maxTokens,
    callSoft: false,
    cloud: g.hasModels,
    decision: undefined,
    span: startCallSpan(req.operation, { tenant, ...(req.room !== undefined && { room: req.room }), ...(tierName !== undefined && { tier: tierName }), priority: preset.priority, stream: sink !== undefined }, req.trace),
    spanEnded: false,
  };
}

/** Stop the cloud path for the call: the local handler answers, and `why` is what the record says. */
export function refuseCloud(c: CallContext, why: string, refusal?: LlmError): void {
  c.cloud = false;
  if (refusal) c.st.refusal ??= refusal;
  c.st.fallbackReason ??= why;
}
