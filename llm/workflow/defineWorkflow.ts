import { formatPath, ValidationError } from '../../shared/index.ts';
import type { Issue } from '../../shared/index.ts';
import { STEP_KINDS } from './steps.ts';
import type { FallbackStep, Step } from './steps.ts';

/** Names of workflows and steps: they appear in span names and records, so short and plain. */
export const STEP_NAME = /^[A-Za-z_][\w.-]{0,63}$/;

/** A workflow as its author writes it: data, checked by {@link defineWorkflow}. */
export interface WorkflowDefinition<I, S, O> {
  /** Names the workflow's span (`workflow <name>`) and its errors. */
  readonly name: string;
  /** The state the first step sees, made from the run's input. */
  readonly start: (input: I) => S;
  /** Run in order; each sets fields of the state. */
  readonly steps: readonly Step<S>[];
  /** The answer, from the state after the last step. */
  readonly output: (s: Readonly<S>) => O;
  /** What answers when a step fails (a local function). Without one, a failed step fails the run. */
  readonly fallback?: FallbackStep<S, O>;
  /** Deadline of a whole run when the caller gives none, ms (default 10 000). */
  readonly deadlineMs?: number;
}

/** A checked workflow: what {@link runWorkflow} runs. */
export interface Workflow<I, S, O> extends WorkflowDefinition<I, S, O> {
  readonly deadlineMs: number;
  /** For each validate step with `repair: 'once'`, the ask step it re-asks. */
  readonly repairs: ReadonlyMap<string, string>;
  /** Brand: made by {@link defineWorkflow} only. */
  readonly checked: true;
}

export const DEFAULT_WORKFLOW_DEADLINE_MS = 10_000;

const isFn = (x: unknown): boolean => typeof x === 'function';

/**
 * Check a workflow definition and return it ready to run. Throws a {@link ValidationError} naming every problem by
 * its path (`invalid workflow "tactics": steps[2].name: duplicate step name "ask" (also steps[0])`): names that are
 * not plain or not unique (the fallback's included), unknown kinds, missing functions, an empty `parallel`, a
 * `repair: 'once'` with no ask step before it to re-ask.
 */
export function defineWorkflow<I, S, O>(def: WorkflowDefinition<I, S, O>): Workflow<I, S, O> {
  const issues: Issue[] = [];
  const d = def as Partial<WorkflowDefinition<I, S, O>> | null;
  const what = typeof d?.name === 'string' && d.name ? `workflow "${d.name}"` : 'workflow';
  if (!d || typeof d !== 'object') throw new ValidationError(what, [{ path: [], message: 'expected an object { name, start, steps, output }' }]);
  if (typeof d.name !== 'string' || !STEP_NAME.test(d.name)) issues.push({ path: ['name'], message: `expected a name matching ${STEP_NAME}` });
  if (!isFn(d.start)) issues.push({ path: ['start'], message: 'expected a function (input) => state' });
  if (!isFn(d.output)) issues.push({ path: ['output'], message: 'expected a function (state) => answer' });
  if (d.deadlineMs !== undefined && !(typeof d.deadlineMs === 'number' && d.deadlineMs > 0 && Number.isFinite(d.deadlineMs))) issues.push({ path: ['deadlineMs'], message: 'expected a number > 0 (ms)' });
  const names = new Map<string, string>();
  const repairs = new Map<string, string>();
  const claim = (name: unknown, path: PropertyKey[]): void => {
    if (typeof name !== 'string' || !STEP_NAME.test(name)) {
      issues.push({ path: [...path, 'name'], message: `expected a name matching ${STEP_NAME}` });
      return;
    }
    const at = formatPath(path);
    const first = names.get(name);
    if (first !== undefined) issues.push({ path: [...path, 'name'], message: `duplicate step name "${name}" (also ${first})` });
    else names.set(name, at);
  };

  /** Check a list run in order; `asks` are the ask steps that have run before it. Returns the asks after it. */
  const list = (steps: unknown, path: PropertyKey[], asks: readonly string[], nonEmpty: boolean): string[] => {
    if (!Array.isArray(steps)) {
      issues.push({ path, message: 'expected a list of steps' });
      return [...asks];
    }
    if (nonEmpty && steps.length === 0) issues.push({ path, message: 'expected at least one step' });
    let seen = [...asks];
    steps.forEach((s: unknown, k: number) => {
      seen = step(s, [...path, k], seen);
    });
    return seen;
  };

  const step = (raw: unknown, path: PropertyKey[], asks: readonly string[]): string[] => {
    if (!raw || typeof raw !== 'object') {
      issues.push({ path, message: 'expected a step { kind, name, … }' });
      return [...asks];
    }
    const s = raw as Record<string, unknown>;
    const kind = s.kind;
    if (kind === 'fallback') {
      issues.push({ path: [...path, 'kind'], message: "a fallback is the workflow's `fallback`, not one of its steps" });
      return [...asks];
    }
    if (typeof kind !== 'string' || !(STEP_KINDS as readonly string[]).includes(kind)) {
      issues.push({ path: [...path, 'kind'], message: `unknown step kind ${JSON.stringify(kind)}: expected one of ${STEP_KINDS.join(', ')}` });
      return [...asks];
    }
    claim(s.name, path);
    const need = (field: string, message = 'expected a function'): void => {
      if (!isFn(s[field])) issues.push({ path: [...path, field], message });
    };
    const optionalFn = (field: string): void => {
      if (s[field] !== undefined && !isFn(s[field])) issues.push({ path: [...path, field], message: 'expected a function or nothing' });
    };
    switch (kind) {
      case 'ask': {
        if (typeof s.operation !== 'string' || !s.operation) issues.push({ path: [...path, 'operation'], message: 'expected a gateway operation name' });
        need('messages', 'expected a function (state) => messages');
        need('into', 'expected a function (result, state) => fields');
        optionalFn('cacheKey');
        optionalFn('call');
        const schema = s.schema as { safeParse?: unknown } | undefined;
        if (schema !== undefined && !isFn(schema) && !(schema && typeof schema === 'object' && isFn(schema.safeParse))) issues.push({ path: [...path, 'schema'], message: 'expected a zod schema, a function (state) => schema, or nothing' });
        return typeof s.name === 'string' ? [...asks, s.name] : [...asks];
      }
      case 'transform':
        need('run', 'expected a function (state, ctx) => fields');
        return [...asks];
      case 'validate': {
        need('check', 'expected a function (state, ctx) => fields or reject(reason)');
        if (s.repair !== undefined && s.repair !== 'once') issues.push({ path: [...path, 'repair'], message: "expected 'once' or nothing" });
        if (s.ask !== undefined && s.repair !== 'once') issues.push({ path: [...path, 'ask'], message: "names the ask to repair: set repair: 'once' too" });
        if (s.repair === 'once') {
          const target = s.ask === undefined ? asks.at(-1) : typeof s.ask === 'string' && asks.includes(s.ask) ? s.ask : undefined;
          if (target === undefined) {
            issues.push({ path: [...path, s.ask === undefined ? 'repair' : 'ask'], message: s.ask === undefined ? 'needs an ask step before it to re-ask' : `${JSON.stringify(s.ask)} is not an ask step that runs before it` });
          } else if (typeof s.name === 'string') repairs.set(s.name, target);
        }
        return [...asks];
      }
      case 'parallel': {
        // Siblings run at once: each sees only the asks before the parallel (and those inside itself).
        const kids = s.steps;
        if (!Array.isArray(kids) || kids.length === 0) {
          issues.push({ path: [...path, 'steps'], message: Array.isArray(kids) ? 'expected at least one step' : 'expected a list of steps' });
          return [...asks];
        }
        const after = new Set(asks);
        kids.forEach((k: unknown, i: number) => step(k, [...path, 'steps', i], asks).forEach((a) => after.add(a)));
        return [...after];
      }
      case 'when': {
        need('test', 'expected a function (state) => boolean');
        const a = list(s.then, [...path, 'then'], asks, false);
        const b = s.else === undefined ? [...asks] : list(s.else, [...path, 'else'], asks, false);
        return [...new Set([...a, ...b])];
      }
    }
    return [...asks];
  };

  list(d.steps, ['steps'], [], true);
  const fb = d.fallback as Partial<FallbackStep<S, O>> | undefined;
  if (fb !== undefined) {
    if (!fb || typeof fb !== 'object') issues.push({ path: ['fallback'], message: 'expected a step { kind: "fallback", name, run }' });
    else {
      if (fb.kind !== 'fallback') issues.push({ path: ['fallback', 'kind'], message: 'expected "fallback"' });
      claim(fb.name, ['fallback']);
      if (!isFn(fb.run)) issues.push({ path: ['fallback', 'run'], message: 'expected a function (state, failure, ctx) => answer' });
    }
  }
  if (issues.length) throw new ValidationError(what, issues);
  return Object.freeze({ ...def, deadlineMs: def.deadlineMs ?? DEFAULT_WORKFLOW_DEADLINE_MS, repairs, checked: true as const });
}
