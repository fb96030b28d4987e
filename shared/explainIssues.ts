import type { z } from 'zod';
import { describeSchema } from './describeSchema.ts';
import { defOf, objectKeys, schemaAt, unwrapSchema } from './schemaAt.ts';
import { showValue } from './showValue.ts';
import { nearest } from './suggest.ts';
import { formatPath } from './validation.ts';
import type { Issue } from './validation.ts';

/** A zod issue, as much of it as the explainer reads (zod's own `$ZodIssue` fits). */
export interface RawIssue {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** `unrecognized_keys`: the unknown keys. */
  readonly keys?: readonly string[];
  /** `invalid_union`: the issues of each branch, paths relative to the union. */
  readonly errors?: readonly (readonly RawIssue[])[];
  /** `invalid_value`: the allowed values. */
  readonly values?: readonly unknown[];
  /** `invalid_type`: the expected type. */
  readonly expected?: string;
  /** `too_big`, `too_small`: the kind of value (`string`, `number`, `array`, …). */
  readonly origin?: string;
  /**
   * `custom`: what the refinement knows. `allowed`: the values a string at `path` may take (a near miss is then
   * suggested); `concerns`: keys of the object at `path` whose absence caused the issue (a misspelt one then
   * explains it, and the issue is dropped in favour of the unknown key's).
   */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** How {@link explainIssues} words its messages. */
export interface ExplainOptions {
  /** A message for unknown keys people put in by habit (`apiKey` → where keys come from instead). */
  readonly keyHints?: Readonly<Record<string, string>>;
  /** Whether the value at `path` may be shown (a hidden one is not hinted at either); by default values under secret-looking keys are not. */
  readonly showValueAt?: (path: readonly PropertyKey[]) => boolean;
}

const SECRET = /(secret|password|passwd|token|api_?key)$/i;
const defaultShowValueAt = (path: readonly PropertyKey[]): boolean => !path.some((p) => typeof p === 'string' && SECRET.test(p));

/** Where `path` leads in `input`: whether something is there, and what. */
function valueAt(input: unknown, path: readonly PropertyKey[]): { present: boolean; value: unknown; parentIsObject: boolean } {
  let v = input;
  for (let k = 0; k < path.length; k++) {
    const p = path[k] as PropertyKey;
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) {
      return { present: false, value: undefined, parentIsObject: k === path.length - 1 && v !== null && typeof v === 'object' && !Array.isArray(v) };
    }
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return { present: v !== undefined, value: v, parentIsObject: false };
}

/** An issue with its absolute path and, inside a union's branch, that branch's schema (at `prefix`). */
interface FlatIssue extends RawIssue {
  readonly branch?: { readonly schema: z.ZodType; readonly prefix: readonly PropertyKey[] };
}

/** A union's issues as those of the branch the value was evidently meant for; the union's own issue when no branch fits. */
function flatten(root: z.ZodType, i: RawIssue, prefix: readonly PropertyKey[], branch: FlatIssue['branch'], out: FlatIssue[]): void {
  const path = [...prefix, ...i.path];
  if (i.code === 'invalid_union' && i.errors?.length) {
    const rootMismatch = (x: RawIssue): boolean => x.path.length === 0 && (x.code === 'invalid_type' || x.code === 'invalid_value');
    let best = -1;
    i.errors.forEach((b, k) => {
      if (b.length > 0 && !b.every(rootMismatch) && (best < 0 || b.length < (i.errors?.[best]?.length ?? Infinity))) best = k;
    });
    const union = schemaIn(root, branch, path);
    const option = union && defOf(union).type === 'union' ? defOf(union).options?.[best] : undefined;
    if (best >= 0) {
      for (const x of i.errors[best] ?? []) flatten(root, x, path, option ? { schema: option, prefix: path } : branch, out);
      return;
    }
  }
  out.push({ ...i, path, ...(branch && { branch }) });
}

/** The schema at `path`: inside the branch when there is one, else from the root. */
function schemaIn(root: z.ZodType, branch: FlatIssue['branch'], path: readonly PropertyKey[]): z.ZodType | undefined {
  return branch ? schemaAt(branch.schema, path.slice(branch.prefix.length)) : schemaAt(root, path);
}

const didYouMean = (s: string | undefined): string => (s === undefined ? '' : `; did you mean ${JSON.stringify(s)}?`);

/** A hint for a value of the wrong type that is evidently the right one in quotes (`"3"` for 3, `"true"` for true). */
function quotedHint(value: unknown, expected: string): string {
  if (typeof value !== 'string') return '';
  const t = value.trim();
  if (/^(a number|an integer)/.test(expected) && t !== '' && Number.isFinite(Number(t))) return `; did you mean ${Number(t)} (without quotes)?`;
  if (expected === 'true or false' && (t === 'true' || t === 'false')) return `; did you mean ${t} (without quotes)?`;
  return '';
}

/**
 * zod's issues as messages a person can act on, each naming its path: the bad value (cut to a readable length),
 * what was expected (the allowed values when there are few, else the type and range), and the nearest valid key
 * or value when one is close (`did you mean "wolf"?`). A missing field says `required`. One mistake gives one
 * issue: a union reports only the branch the value was meant for, and a misspelt key absorbs the "missing" and
 * refinement issues its misspelling caused. `input` is what was validated (values are read from it by path).
 */
export function explainIssues(root: z.ZodType, issues: readonly RawIssue[], input: unknown, options: ExplainOptions = {}): Issue[] {
  const flat: FlatIssue[] = [];
  for (const i of issues) flatten(root, i, [], undefined, flat);
  const shows = options.showValueAt ?? defaultShowValueAt;
  const show = (path: readonly PropertyKey[], v: unknown): string | undefined => (shows(path) ? showValue(v) : undefined);

  // Unknown keys first: a near miss of a key that is absent explains the issues its absence caused.
  const misspelt = new Map<string, Set<string>>();
  const unknownKeyIssues = new Map<FlatIssue, Issue[]>();
  for (const i of flat) {
    if (i.code !== 'unrecognized_keys') continue;
    const obj = valueAt(input, i.path).value;
    const allowed = objectKeys(schemaIn(root, i.branch, i.path));
    const absent = allowed.filter((k) => !(obj && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, k)));
    unknownKeyIssues.set(i, (i.keys ?? []).map((key) => {
      const hint = options.keyHints?.[key];
      const guess = hint ? undefined : nearest(key, absent);
      if (guess !== undefined) {
        const at = formatPath(i.path);
        misspelt.set(at, (misspelt.get(at) ?? new Set()).add(guess));
      }
      return { path: [...i.path, key], message: `unknown key${hint ? `: ${hint}` : didYouMean(guess)}${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}` };
    }));
  }
  const explainedByMisspelling = (i: RawIssue, present: boolean): boolean => {
    if (i.code === 'custom') {
      const guesses = misspelt.get(formatPath(i.path));
      const concerns = i.params?.concerns;
      return !!guesses && Array.isArray(concerns) && concerns.some((k) => guesses.has(k as string));
    }
    const last = i.path[i.path.length - 1];
    return !present && typeof last === 'string' && !!misspelt.get(formatPath(i.path.slice(0, -1)))?.has(last);
  };

  const out: Issue[] = [];
  const seen = new Set<string>();
  const push = (issue: Issue): void => {
    const key = `${formatPath(issue.path)}\n${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(issue);
  };
  for (const i of flat) {
    const known = unknownKeyIssues.get(i);
    if (known) {
      known.forEach(push);
      continue;
    }
    const at = valueAt(input, i.path);
    if (explainedByMisspelling(i, at.present)) continue;
    push({ path: i.path, message: explainOne(root, i, at, show) });
  }
  return inDocumentOrder(out, input);
}

/** Where `path` sits in `input`: the index of each key among its siblings (a missing key after them all). */
function position(input: unknown, path: readonly PropertyKey[]): number[] {
  const out: number[] = [];
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') break;
    const k = Array.isArray(v) ? Number(p) : Object.keys(v).indexOf(String(p));
    out.push(k < 0 || Number.isNaN(k) ? Number.MAX_SAFE_INTEGER : k);
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return out;
}

/** Issues in the order their fields appear in the input (a file's order, top to bottom); ties keep their order. */
function inDocumentOrder(issues: readonly Issue[], input: unknown): Issue[] {
  const keyed = issues.map((issue, k) => ({ issue, k, at: position(input, issue.path) }));
  keyed.sort((a, b) => {
    for (let d = 0; d < Math.min(a.at.length, b.at.length); d++) if (a.at[d] !== b.at[d]) return (a.at[d] as number) - (b.at[d] as number);
    return a.k - b.k;
  });
  return keyed.map((x) => x.issue);
}

/** Of a union, the option an issue about a size (`too_big` of a string, say) or a format came from. */
function narrow(schema: z.ZodType | undefined, i: RawIssue): z.ZodType | undefined {
  if (!schema || defOf(schema).type !== 'union') return schema;
  const origin = i.code === 'invalid_format' ? 'string' : i.origin;
  return (origin && defOf(schema).options?.find((o) => defOf(unwrapSchema(o)).type === origin)) || schema;
}

/** The message of one issue (not an unknown key). */
function explainOne(root: z.ZodType, i: FlatIssue, at: { present: boolean; value: unknown; parentIsObject: boolean }, show: (path: readonly PropertyKey[], v: unknown) => string | undefined): string {
  const schema = narrow(schemaIn(root, i.branch, i.path), i);
  const expected = schema ? describeSchema(schema) : i.expected;
  if (i.code === 'custom') {
    const allowed = i.params?.allowed;
    const guess = typeof at.value === 'string' && Array.isArray(allowed) ? nearest(at.value, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
    return i.message + didYouMean(guess);
  }
  if (!at.present && (at.parentIsObject || i.path.length === 0)) return `required${expected ? `; expected ${expected}` : ''}`;
  const shown = show(i.path, at.value);
  const got = shown === undefined ? '' : `got ${shown}; `;
  switch (i.code) {
    case 'invalid_type':
    case 'invalid_union':
    case 'too_big':
    case 'too_small':
      return expected ? `${got}expected ${expected}${shown === undefined ? '' : quotedHint(at.value, expected)}` : `${got}${i.message}`;
    case 'invalid_value': {
      const values = (i.values ?? []).filter((v): v is string => typeof v === 'string');
      const guess = typeof at.value === 'string' ? nearest(at.value, values) : undefined;
      return `${got}expected ${expected ?? 'one of the allowed values'}${didYouMean(guess)}`;
    }
    case 'invalid_format': {
      const own = !/^Invalid/.test(i.message);
      return `${got}${own ? i.message : `expected ${i.message.replace(/^Invalid \w+: /, '')}`}`;
    }
    default:
      return `${got}${i.message}`;
  }
}
