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

/** Render zod-style issues as `path: message` joined by `; `. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
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

/** Parse `input` with `schema`, or throw a {@link ValidationError} naming every bad field of `what`. */
export function parseWith<T>(schema: SafeParser<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(what, r.error.issues.map((i) => ({ path: i.path, message: i.message })), { cause: r.error });
}
