import type { ZodType } from 'zod';
import type { CallRequest, CallResult } from '../gatewayTypes.ts';
import type { ChatMessage } from '../types.ts';

/** Kinds of step a workflow's list holds. The answer of last resort is the workflow's `fallback` (kind `fallback`). */
export const STEP_KINDS = ['ask', 'transform', 'validate', 'parallel', 'when'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** What a step adds to the workflow state: the fields it sets (merged shallowly, later steps win). */
export type Patch<S> = Partial<S>;

/** A transform's or validate's refusal, with the reason (for validate: what the model is told when repairing). */
export class Rejected {
  constructor(readonly reason: string) {}
}

/** Refuse the state: the step fails with `reason`. */
export const reject = (reason: string): Rejected => new Rejected(reason);

/** What a pure step returns: fields to set, nothing (no change), or a refusal. May also throw (a failure too). */
export type StepOutcome<S> = Patch<S> | Rejected | undefined | void;

/** What every step function gets besides the state. */
export interface StepContext {
  /** Aborted when the run ends early: its deadline, the caller's signal, or a sibling in a `parallel` failing. */
  readonly signal: AbortSignal;
  /** Time left before the run's deadline, ms (may be ≤ 0). */
  remainingMs(): number;
}

/** The rest of a gateway call (who pays, the local handler's input, overrides, routing…); the runner sets signal, deadline and trace. */
export type AskOptions = Omit<CallRequest<unknown>, 'operation' | 'messages' | 'schema' | 'cacheKey' | 'signal' | 'trace'>;

/**
 * A gateway call. `messages`, `schema`, `cacheKey` and `call` are built from the state; the answer goes into the
 * state through `into`. Its deadline is the time left in the run (or `call().deadlineMs` if shorter).
 */
export interface AskStep<S, T = unknown> {
  readonly kind: 'ask';
  readonly name: string;
  readonly operation: string;
  readonly messages: (s: Readonly<S>) => readonly ChatMessage[];
  /** Output schema, or a function of the state picking one; absent ⇒ free text. */
  readonly schema?: ZodType<T> | ((s: Readonly<S>) => ZodType<T>);
  /** The caller's cache key for this state (see `CallRequest.cacheKey`); undefined ⇒ the gateway's own. */
  readonly cacheKey?: (s: Readonly<S>) => string | undefined;
  readonly call?: (s: Readonly<S>) => AskOptions;
  /** The fields the answer sets. (A method, so steps of any answer type sit in one list; {@link ask} types it.) */
  into(res: CallResult<T>, s: Readonly<S>): Patch<S>;
}

/** A pure (or async) function of the state: sets fields, or fails with a reason. */
export interface TransformStep<S> {
  readonly kind: 'transform';
  readonly name: string;
  readonly run: (s: Readonly<S>, ctx: StepContext) => StepOutcome<S> | Promise<StepOutcome<S>>;
}

/**
 * A check of the state that may set fields (a mapped value) or refuse it with a reason. With `repair: 'once'` a
 * refusal re-asks the model of ask step `ask` (default: the nearest ask before it) once, its reply and the reason
 * appended to the prompt as the gateway's own structured-output repair does, then checks again; a second refusal, or
 * an answer from the gateway's local handler (no model to repair), fails the step.
 */
export interface ValidateStep<S> {
  readonly kind: 'validate';
  readonly name: string;
  readonly check: (s: Readonly<S>, ctx: StepContext) => StepOutcome<S> | Promise<StepOutcome<S>>;
  readonly repair?: 'once';
  readonly ask?: string;
}

/**
 * Steps run concurrently on the same state; their fields are merged in the listed order (a field two steps set
 * takes the later one's value). The first failure fails the whole step and aborts the others.
 */
export interface ParallelStep<S> {
  readonly kind: 'parallel';
  readonly name: string;
  readonly steps: readonly Step<S>[];
}

/** A predicate over the state picks the branch: `then` when true, else `else` (none ⇒ nothing happens). */
export interface WhenStep<S> {
  readonly kind: 'when';
  readonly name: string;
  readonly test: (s: Readonly<S>) => boolean;
  readonly then: readonly Step<S>[];
  readonly else?: readonly Step<S>[];
}

/** One step of a workflow. */
export type Step<S> = AskStep<S, unknown> | TransformStep<S> | ValidateStep<S> | ParallelStep<S> | WhenStep<S>;

/** Why a step failed. */
export interface StepFailure {
  /** Name of the step that failed (the innermost one). */
  readonly step: string;
  /** `rejected` (the step refused the state), `error` (it threw), `deadline` (the run's deadline passed), `aborted` (the caller's signal). */
  readonly kind: 'rejected' | 'error' | 'deadline' | 'aborted';
  readonly reason: string;
  /** What was thrown, for `error` and `aborted`. */
  readonly error?: unknown;
}

/** What answers when a step fails: a local function of the state so far and the failure. Kind `fallback`. */
export interface FallbackStep<S, O> {
  readonly kind: 'fallback';
  readonly name: string;
  readonly run: (s: Readonly<S>, failure: StepFailure, ctx: StepContext) => O | Promise<O>;
}

/** Step constructors for a workflow over state `S` (an ask's answer type is inferred from its schema). */
export interface StepBuilders<S> {
  ask<T = string>(step: Omit<AskStep<S, T>, 'kind'>): AskStep<S, unknown>;
  transform(name: string, run: TransformStep<S>['run']): TransformStep<S>;
  validate(name: string, check: ValidateStep<S>['check'], opts?: { readonly repair?: 'once'; readonly ask?: string }): ValidateStep<S>;
  parallel(name: string, steps: readonly Step<S>[]): ParallelStep<S>;
  when(name: string, test: WhenStep<S>['test'], then: readonly Step<S>[], otherwise?: readonly Step<S>[]): WhenStep<S>;
  fallback<O>(name: string, run: FallbackStep<S, O>['run']): FallbackStep<S, O>;
}

/** The step constructors for state `S`: `const { ask, transform, validate } = stepsFor<MyState>()`. Plain objects do as well. */
export function stepsFor<S>(): StepBuilders<S> {
  return {
    ask: <T>(step: Omit<AskStep<S, T>, 'kind'>): AskStep<S, unknown> => {
      const typed: AskStep<S, T> = { kind: 'ask', ...step };
      return typed; // `into` is a method: an ask of any answer type sits in a list of steps
    },
    transform: (name, run) => ({ kind: 'transform', name, run }),
    validate: (name, check, opts = {}) => ({ kind: 'validate', name, check, ...(opts.repair && { repair: opts.repair }), ...(opts.ask !== undefined && { ask: opts.ask }) }),
    parallel: (name, steps) => ({ kind: 'parallel', name, steps }),
    when: (name, test, then, otherwise) => ({ kind: 'when', name, test, then, ...(otherwise && { else: otherwise }) }),
    fallback: (name, run) => ({ kind: 'fallback', name, run }),
  };
}
