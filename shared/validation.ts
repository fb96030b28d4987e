import type { z } from 'zod';
import { explainIssues } from './explainIssues.ts';

/** One validation problem: where (path into the input) and what rule it broke. */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Render a path like `spawns[2].pack.size` (the root is `(root)`). */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, k) => (typeof p === 'number' ? `[${p}]` : `${k ? '.' : ''}${String(p)}`)).join('');
}

/** One issue as `path: message`; an issue about the whole input (a syntax error, say) is its message alone. */
export function formatIssue(issue: Issue): string {
  return issue.path.length ? `${formatPath(issue.path)}: ${issue.message}` : issue.message;
}

/** Render issues as `path: message` joined by `; `. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('; ');
}

/** A definition or input failed validation; `issues` names every bad field. */
export class ValidationError extends Error {
  readonly issues: readonly Issue[];

  constructor(what: string, issues: readonly Issue[], options?: { cause?: unknown }) {
    super(`invalid ${what}: ${formatIssues(issues)}`, options);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** The part of a zod schema that {@link parseWith} needs. */
export interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
}

/**
 * Parse `input` with `schema`, or throw a {@link ValidationError} naming every bad field of `what`; with a zod
 * schema the issues are explained (bad value, what was expected, near misses; see {@link explainIssues}).
 */
export function parseWith<T>(schema: SafeParser<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = '_zod' in schema ? explainIssues(schema as unknown as z.ZodType, r.error.issues, input) : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
  throw new ValidationError(what, issues, { cause: r.error });
}
