import type { Context, Span } from '@opentelemetry/api';
import { ValidationError } from '../../shared/index.ts';
import type { CallRequest, CallResult } from '../gatewayTypes.ts';
import { repairMessage } from '../structured.ts';
import { contextWith, endSpan, startSpan } from '../tracing.ts';
import type { TraceCarrier } from '../tracing.ts';
import type { Workflow } from './defineWorkflow.ts';
import { Rejected } from './steps.ts';
import type { AskStep, Patch, Step, StepContext, StepFailure, StepKind, StepOutcome } from './steps.ts';

/** What a workflow needs of the gateway: its one call path. */
export interface WorkflowGateway {
  call<T>(req: CallRequest<T>): Promise<CallResult<T>>;
}

/** How one run goes. */
export interface RunOptions {
  /** The caller's cancel signal: ends the run at once, without the fallback (nobody wants the answer). */
  readonly signal?: AbortSignal;
  /** Deadline of the whole run from now, ms (default: the workflow's). Past it no step starts and the fallback answers. */
  readonly deadlineMs?: number;
  /** Where the run's span hangs: `workflow <name>` is a child of `trace.parent` and carries `trace.links`. */
  readonly trace?: TraceCarrier;
  /**
   * How long past the deadline an ask in flight may still bring the gateway's own answer (the gateway answers from
   * its local handler at the deadline it was given), and the least time the fallback gets, ms (default 250). A run
   * ends within `deadlineMs + 2 × graceMs` whatever its steps do (a step stuck in synchronous code aside).
   */
  readonly graceMs?: number;
}

export const DEFAULT_GRACE_MS = 250;

/** How a step ended: `ok`, `repaired` (a validate that passed after re-asking), or the failure's kind. */
export type StepOutcomeName = 'ok' | 'repaired' | StepFailure['kind'];

/** One step of a run, in the order the steps started. */
export interface StepRecord {
  readonly name: string;
  readonly kind: StepKind | 'fallback';
  /** The step it ran inside (a parallel, a when; a validate for the ask it repaired). */
  readonly parent?: string;
  /** Wall time, ms. */
  readonly ms: number;
  readonly outcome: StepOutcomeName;
  /** Why it failed. */
  readonly reason?: string;
  /** An ask re-run by a validate's repair. */
  readonly repair?: true;
  /** The branch a `when` took. */
  readonly branch?: 'then' | 'else';
}

interface RunRecord {
  readonly steps: readonly StepRecord[];
  /** Wall time of the whole run, ms. */
  readonly ms: number;
}

/**
 * A run's result. `ok` with `fellBack: false`: every step passed and `value` is the workflow's output; `fellBack:
 * true`: `failure` says which step failed and `value` is the fallback's answer; not `ok`: the caller aborted, there
 * is no fallback, or the fallback failed too (`fallbackFailure`). `state` is the state when the run ended.
 */
export type WorkflowResult<S, O> = RunEnd<S, O> & RunRecord;

/** How a run ended, before its records are added. */
export type RunEnd<S, O> =
  | { readonly ok: true; readonly value: O; readonly state: S; readonly fellBack: false }
  | { readonly ok: true; readonly value: O; readonly state: S; readonly fellBack: true; readonly failure: StepFailure }
  | { readonly ok: false; readonly state: S; readonly failure: StepFailure; readonly fallbackFailure?: StepFailure };

const now = (): number => performance.now();
const round = (ms: number): number => Math.round(ms * 1000) / 1000;
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 300);

/** Where a step runs: the signals it obeys and what encloses it. */
interface Scope {
  /** Pure steps stop at the deadline (or the caller's abort, or a failed sibling). */
  readonly soft: AbortSignal;
  /** Asks stop at the deadline plus the grace. */
  readonly hard: AbortSignal;
  /** Set inside a parallel: aborted when a sibling failed. */
  readonly sibling?: AbortSignal;
  readonly parentCtx: Context | undefined;
  readonly parentName: string | undefined;
}

type StepOut<S> = { readonly ok: true; readonly patch: Patch<S>; readonly outcome: 'ok' | 'repaired' } | { readonly ok: false; readonly failure: StepFailure };
type SeqOut<S> = { readonly ok: true; readonly state: S; readonly patch: Patch<S> } | { readonly ok: false; readonly state: S; readonly failure: StepFailure };

/** An ask's last call and answer, kept for a validate's repair. */
interface Answer<S> {
  readonly step: AskStep<S, unknown>;
  readonly req: CallRequest<unknown>;
  readonly res: CallResult<unknown>;
}

/** A record being written (its fields are filled in when the step ends). */
type OpenRecord = { -readonly [K in keyof StepRecord]: StepRecord[K] } & { t0: number };

/** A value now, or later. Steps run synchronously until something really waits, so an ask after pure steps goes out at once. */
type Sync<T> = T | Promise<T>;

const isThenable = <T>(v: Sync<T> | PromiseLike<T>): v is PromiseLike<T> => typeof (v as { then?: unknown } | null | undefined)?.then === 'function';

/** Apply `f` to `v`: now when `v` is a value, when it settles when it is a promise. */
function then<T, U>(v: Sync<T>, f: (t: T) => Sync<U>): Sync<U> {
  return isThenable(v) ? Promise.resolve(v).then(f) : f(v);
}

/** `work()`, unless `signal` aborts before it settles (then its reason is thrown). A value returned at once stays a value. */
function race<T>(work: () => T | PromiseLike<T>, signal: AbortSignal): Sync<T> {
  if (signal.aborted) throw signal.reason;
  const v = work();
  if (!isThenable(v)) return v;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    v.then(
      (x) => {
        signal.removeEventListener('abort', onAbort);
        resolve(x);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}

/** One run of a workflow. */
class Run<S> {
  readonly records: OpenRecord[] = [];
  private readonly answers = new Map<string, Answer<S>>();

  constructor(
    private readonly gateway: WorkflowGateway,
    private readonly repairs: ReadonlyMap<string, string>,
    private readonly deadlineMs: number,
    private readonly deadlineAt: number,
    private readonly deadline: AbortSignal,
    private readonly caller: AbortSignal | undefined,
  ) {}

  ctx(signal: AbortSignal): StepContext {
    return { signal, remainingMs: () => this.deadlineAt - now() };
  }

  /** Why a step that threw (or was cut short) failed: the caller's abort, the deadline, a sibling, or its own error. */
  failureOf(step: string, e: unknown, scope: Scope): StepFailure {
    if (this.caller?.aborted) return { step, kind: 'aborted', reason: 'aborted by the caller', error: e ?? this.caller.reason };
    if (this.deadline.aborted || now() >= this.deadlineAt) return { step, kind: 'deadline', reason: `the run's deadline (${this.deadlineMs} ms) passed` };
    if (scope.sibling?.aborted) return { step, kind: 'aborted', reason: 'a step run in parallel with it failed' };
    if (e instanceof Rejected) return { step, kind: 'rejected', reason: e.reason };
    return { step, kind: 'error', reason: messageOf(e), error: e };
  }

  /** A failure before a step starts: the caller aborted, the deadline passed, or a sibling failed. */
  private precheck(step: string, scope: Scope): StepFailure | undefined {
    if (this.caller?.aborted || this.deadline.aborted || now() >= this.deadlineAt || scope.sibling?.aborted) return this.failureOf(step, undefined, scope);
    return undefined;
  }

  open(name: string, kind: StepKind | 'fallback', parent: string | undefined): OpenRecord {
    const r: OpenRecord = { name, kind, ms: 0, outcome: 'ok', t0: now(), ...(parent !== undefined && { parent }) };
    this.records.push(r);
    return r;
  }

  /** Run `body` as a step: its record and its span (`workflow.step <name>`), failures contained. */
  private traced(name: string, kind: StepKind, scope: Scope, extra: { repair?: true }, body: (span: Span | undefined, rec: OpenRecord) => Sync<StepOut<S>>): Sync<StepOut<S>> {
    const rec = this.open(name, kind, scope.parentName);
    if (extra.repair) rec.repair = true;
    const span = startSpan(`workflow.step ${name}`, {
      ...(scope.parentCtx && { parent: scope.parentCtx }),
      attributes: { 'lairmind.workflow.step': name, 'lairmind.workflow.step_kind': kind, ...(extra.repair && { 'lairmind.workflow.repair': true }) },
    });
    const finish = (out: StepOut<S>): StepOut<S> => {
      rec.ms = round(now() - rec.t0);
      rec.outcome = out.ok ? out.outcome : out.failure.kind;
      if (!out.ok) rec.reason = out.failure.reason;
      endSpan(span, { attributes: { 'lairmind.outcome': rec.outcome, ...(rec.branch && { 'lairmind.workflow.branch': rec.branch }) }, ...(!out.ok && { error: out.failure.kind }) });
      return out;
    };
    const failed = (e: unknown): StepOut<S> => finish({ ok: false, failure: this.failureOf(name, e, scope) });
    const pre = this.precheck(name, scope);
    if (pre) return finish({ ok: false, failure: pre });
    let out: Sync<StepOut<S>>;
    try {
      out = body(span, rec);
    } catch (e) {
      return failed(e);
    }
    return isThenable(out) ? Promise.resolve(out).then(finish, failed) : finish(out);
  }

  /** Run `steps` in order from `state`; stops at the first failure. */
  seq(steps: readonly Step<S>[], state: S, scope: Scope): Sync<SeqOut<S>> {
    const from = (i: number, s: S, patch: Patch<S>): Sync<SeqOut<S>> => {
      for (let k = i; k < steps.length; k++) {
        const out = this.step(steps[k] as Step<S>, s, scope);
        if (isThenable(out)) return out.then((o) => (o.ok ? from(k + 1, { ...s, ...o.patch }, { ...patch, ...o.patch }) : { ok: false, state: s, failure: o.failure }));
        if (!out.ok) return { ok: false, state: s, failure: out.failure };
        s = { ...s, ...out.patch };
        patch = { ...patch, ...out.patch };
      }
      return { ok: true, state: s, patch };
    };
    return from(0, state, {});
  }

  step(step: Step<S>, s: S, scope: Scope): Sync<StepOut<S>> {
    return this.traced(step.name, step.kind, scope, {}, (span, rec) => {
      const inner = (): Scope => ({ ...scope, parentCtx: span ? contextWith(span) : scope.parentCtx, parentName: step.name });
      switch (step.kind) {
        case 'ask':
          return then(this.ask(step, this.request(step, s), scope, span), (res): StepOut<S> => ({ ok: true, patch: step.into(res, s), outcome: 'ok' }));
        case 'transform':
          return then(race(() => step.run(s, this.ctx(scope.soft)), scope.soft), (r) => this.pure(step.name, r));
        case 'validate':
          return this.validate(step, s, scope, span);
        case 'parallel':
          return this.parallel(step.steps, s, inner());
        case 'when': {
          const branch = step.test(s) ? 'then' : 'else';
          rec.branch = branch;
          return then(this.seq(branch === 'then' ? step.then : (step.else ?? []), s, inner()), (out): StepOut<S> => (out.ok ? { ok: true, patch: out.patch, outcome: 'ok' } : { ok: false, failure: out.failure }));
        }
      }
    });
  }

  private pure(name: string, r: StepOutcome<S>): StepOut<S> {
    if (r instanceof Rejected) return { ok: false, failure: { step: name, kind: 'rejected', reason: r.reason } };
    return { ok: true, patch: r ?? {}, outcome: 'ok' };
  }

  /** The gateway call an ask step makes from the state (without signal, deadline and trace). */
  private request(step: AskStep<S, unknown>, s: S): CallRequest<unknown> {
    const schema = typeof step.schema === 'function' ? step.schema(s) : step.schema;
    const cacheKey = step.cacheKey?.(s);
    return { ...step.call?.(s), operation: step.operation, messages: step.messages(s), ...(schema && { schema }), ...(cacheKey !== undefined && { cacheKey }) };
  }

  /** Make an ask's call with the time left (the gateway owns the deadline; the run waits at most the grace past it). */
  private ask(step: AskStep<S, unknown>, req: CallRequest<unknown>, scope: Scope, span: Span | undefined): Sync<CallResult<unknown>> {
    const left = this.deadlineAt - now();
    const call = race(() => this.gateway.call({ ...req, deadlineMs: Math.min(req.deadlineMs ?? left, left), signal: scope.hard, ...(span && { trace: { parent: contextWith(span) } }) }), scope.hard);
    return then(call, (res) => {
      this.answers.set(step.name, { step, req, res });
      span?.setAttributes({ 'lairmind.llm.provider': res.provider, 'lairmind.llm.model': res.model, 'lairmind.llm.cached': res.cached });
      return res;
    });
  }

  /**
   * A validate step; with `repair: 'once'`, a refusal re-asks the ask it names once, with its reply and the reason
   * appended (as the gateway's own repair), bypassing the cache; then checks the new answer.
   */
  private validate(step: Extract<Step<S>, { kind: 'validate' }>, s: S, scope: Scope, span: Span | undefined): Sync<StepOut<S>> {
    return then(race(() => step.check(s, this.ctx(scope.soft)), scope.soft), (first) => {
      if (!(first instanceof Rejected) || step.repair !== 'once') return this.pure(step.name, first);
      const target = this.repairs.get(step.name) as string;
      const prev = this.answers.get(target);
      if (!prev) return this.pure(step.name, new Rejected(`${first.reason} (ask "${target}" did not run: nothing to repair)`));
      if (prev.res.provider === 'local') return this.pure(step.name, new Rejected(`${first.reason} (the local handler answered: no model to repair)`));
      const again = repairRequest(prev.req, prev.res.value, first.reason);
      let patch: Patch<S> = {};
      const repaired = this.traced(target, 'ask', { ...scope, parentCtx: span ? contextWith(span) : scope.parentCtx, parentName: step.name }, { repair: true }, (askSpan) =>
        then(this.ask(prev.step, again, scope, askSpan), (res): StepOut<S> => {
          patch = prev.step.into(res, s);
          return { ok: true, patch, outcome: 'ok' };
        }),
      );
      return then(repaired, (r) => {
        if (!r.ok) return r;
        const s2 = { ...s, ...patch };
        return then(race(() => step.check(s2, this.ctx(scope.soft)), scope.soft), (second): StepOut<S> => {
          if (second instanceof Rejected) return this.pure(step.name, new Rejected(`${second.reason} (after one repair)`));
          return { ok: true, patch: { ...patch, ...second }, outcome: 'repaired' };
        });
      });
    });
  }

  /** Steps at once on the same state; the first failure aborts the rest. Fields merge in the listed order. */
  private async parallel(steps: readonly Step<S>[], s: S, scope: Scope): Promise<StepOut<S>> {
    // The steps' own signals: aborted with the enclosing ones, or when one of them fails (`sib` says which).
    const soft = new AbortController();
    const hard = new AbortController();
    const sib = new AbortController();
    const unlink = [follow(scope.soft, soft), follow(scope.hard, hard)];
    const child: Scope = { ...scope, soft: soft.signal, hard: hard.signal, sibling: sib.signal };
    let failure: StepFailure | undefined;
    const settle = (o: StepOut<S>): StepOut<S> => {
      if (!o.ok && !failure) {
        failure = o.failure;
        const why = new Error(`step "${o.failure.step}" failed`);
        sib.abort(why);
        soft.abort(why);
        hard.abort(why);
      }
      return o;
    };
    try {
      // Each step starts now, in the listed order (an ask goes out before the next step starts).
      const outs = await Promise.all(steps.map((st) => then(this.step(st, s, child), settle)));
      if (failure) return { ok: false, failure };
      let patch: Patch<S> = {};
      for (const o of outs) if (o.ok) patch = { ...patch, ...o.patch };
      return { ok: true, patch, outcome: 'ok' };
    } finally {
      for (const u of unlink) u();
    }
  }
}

/**
 * Abort `target` when `source` aborts (now, if it has); returns the undo. Cheaper than `AbortSignal.any`, which in
 * Node 20 costs tens of µs a call: a run makes its own controllers and has the caller's signal abort them.
 */
function follow(source: AbortSignal, target: AbortController): () => void {
  if (source.aborted) {
    target.abort(source.reason);
    return () => undefined;
  }
  const on = (): void => target.abort(source.reason);
  source.addEventListener('abort', on, { once: true });
  return () => source.removeEventListener('abort', on);
}

/** The call that repairs an answer: the same call, its reply and the reason appended, never served from or stored in the cache. */
function repairRequest(req: CallRequest<unknown>, value: unknown, reason: string): CallRequest<unknown> {
  const reply = (typeof value === 'string' ? value : JSON.stringify(value) ?? '').slice(0, 2000);
  const { cacheKey: _key, ...rest } = req;
  return {
    ...rest,
    messages: [...req.messages, { role: 'assistant', content: reply }, { role: 'user', content: repairMessage(reason) }],
    overrides: { ...req.overrides, cacheable: false },
  };
}

/**
 * Run a workflow through the gateway: its steps in order from `workflow.start(input)`, within one deadline for the
 * whole run. A step that fails (refuses the state, throws, or runs out of time) ends the steps, and the workflow's
 * fallback answers; the caller's abort ends the run without it. Never rejects for a step's failure (only when
 * `start` throws or the options are bad). Each step is recorded (name, kind, ms, outcome) and, with tracing on, a
 * span `workflow.step <name>` under the run's span `workflow <name>`, itself a child of `trace.parent`; an ask's
 * gateway call span is a child of its step's span.
 */
export async function runWorkflow<I, S, O>(gateway: WorkflowGateway, workflow: Workflow<I, S, O>, input: I, opts: RunOptions = {}): Promise<WorkflowResult<S, O>> {
  if (workflow?.checked !== true) throw new ValidationError('workflow run', [{ path: ['workflow'], message: 'expected a workflow made by defineWorkflow()' }]);
  const deadlineMs = opts.deadlineMs ?? workflow.deadlineMs;
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const bad: { path: PropertyKey[]; message: string }[] = [];
  if (!(typeof deadlineMs === 'number' && deadlineMs > 0 && Number.isFinite(deadlineMs))) bad.push({ path: ['deadlineMs'], message: 'expected a number > 0 (ms)' });
  if (!(typeof graceMs === 'number' && graceMs >= 0 && Number.isFinite(graceMs))) bad.push({ path: ['graceMs'], message: 'expected a number >= 0 (ms)' });
  if (bad.length) throw new ValidationError(`run of workflow "${workflow.name}"`, bad);

  const t0 = now();
  const deadlineAt = t0 + deadlineMs;
  const soft = new AbortController();
  const hard = new AbortController();
  const timers = [setTimeout(() => soft.abort(new Error('deadline')), deadlineMs), setTimeout(() => hard.abort(new Error('deadline')), deadlineMs + graceMs)];
  for (const t of timers) t.unref();
  const caller = opts.signal;
  const unlink = caller ? [follow(caller, soft), follow(caller, hard)] : [];
  const span = startSpan(`workflow ${workflow.name}`, {
    attributes: { 'lairmind.workflow.name': workflow.name },
    ...(opts.trace?.parent && { parent: opts.trace.parent }),
    ...(opts.trace?.links && { links: opts.trace.links }),
  });
  const scope: Scope = {
    soft: soft.signal,
    hard: hard.signal,
    parentCtx: span ? contextWith(span) : undefined,
    parentName: undefined,
  };
  const run = new Run<S>(gateway, workflow.repairs, deadlineMs, deadlineAt, soft.signal, caller);
  const done = (r: RunEnd<S, O>): WorkflowResult<S, O> => {
    const steps = run.records.map(({ t0: _t0, ...rec }): StepRecord => rec);
    const failed = 'failure' in r ? r.failure : undefined;
    endSpan(span, {
      attributes: { 'lairmind.outcome': r.ok ? (r.fellBack ? 'fallback' : 'ok') : (failed?.kind ?? 'error'), ...(failed && { 'lairmind.workflow.failed_step': failed.step }) },
      ...(!r.ok && { error: failed?.kind ?? 'error' }),
    });
    return { ...r, steps, ms: round(now() - t0) };
  };
  try {
    let start: S;
    try {
      start = workflow.start(input);
    } catch (e) {
      endSpan(span, { attributes: { 'lairmind.outcome': 'error' }, error: e });
      throw e;
    }
    const out = await run.seq(workflow.steps, start, scope);
    const state = out.state;
    let failure: StepFailure;
    if (out.ok) {
      try {
        return done({ ok: true, value: workflow.output(state), state, fellBack: false });
      } catch (e) {
        failure = run.failureOf('(output)', e, scope);
      }
    } else failure = out.failure;
    const fb = workflow.fallback;
    if (!fb || failure.kind === 'aborted') return done({ ok: false, state, failure });
    // The fallback has until the ask grace ends, and at least the grace itself.
    const bound = Math.ceil(Math.max(deadlineAt + graceMs - now(), graceMs));
    const limit = new AbortController();
    timers.push(setTimeout(() => limit.abort(new Error('deadline')), bound));
    if (caller) unlink.push(follow(caller, limit));
    const signal = limit.signal;
    const rec = run.open(fb.name, 'fallback', undefined);
    const fbSpan = startSpan(`workflow.step ${fb.name}`, { ...(scope.parentCtx && { parent: scope.parentCtx }), attributes: { 'lairmind.workflow.step': fb.name, 'lairmind.workflow.step_kind': 'fallback', 'lairmind.workflow.failed_step': failure.step } });
    try {
      const value = await race(() => fb.run(state, failure, { signal, remainingMs: () => deadlineAt - now() }), signal);
      rec.ms = round(now() - rec.t0);
      endSpan(fbSpan, { attributes: { 'lairmind.outcome': 'ok' } });
      return done({ ok: true, value, state, fellBack: true, failure });
    } catch (e) {
      const fallbackFailure: StepFailure = caller?.aborted
        ? { step: fb.name, kind: 'aborted', reason: 'aborted by the caller', error: e }
        : limit.signal.aborted
          ? { step: fb.name, kind: 'deadline', reason: `the fallback took longer than ${round(bound)} ms` }
          : { step: fb.name, kind: 'error', reason: messageOf(e), error: e };
      rec.ms = round(now() - rec.t0);
      rec.outcome = fallbackFailure.kind;
      rec.reason = fallbackFailure.reason;
      endSpan(fbSpan, { attributes: { 'lairmind.outcome': fallbackFailure.kind }, error: fallbackFailure.kind });
      return done({ ok: false, state, failure, fallbackFailure });
    }
  } finally {
    for (const t of timers) clearTimeout(t);
    for (const u of unlink) u();
  }
}
