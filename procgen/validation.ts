import type { z } from 'zod';

/** One validation problem: where in the input (a path of keys) and what rule it broke. */
export interface ProcgenIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Render a path like `biomes.forest.spawns[0].species` (the root is `(root)`). */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, k) => (typeof p === 'number' ? `[${p}]` : `${k ? '.' : ''}${String(p)}`)).join('');
}

/**
 * Procedural-generation input (world parameters, a species table) failed validation. The message lists
 * every bad field as `path: problem`, e.g. `invalid world params: noise.octaves: Too big: expected number to be <=12`.
 */
export class ProcgenValidationError extends Error {
  readonly issues: readonly ProcgenIssue[];

  constructor(what: string, issues: readonly ProcgenIssue[], options?: { cause?: unknown }) {
    super(`invalid ${what}: ${issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`, options);
    this.name = 'ProcgenValidationError';
    this.issues = issues;
  }
}

/** Parse `input` with `schema`, throwing a {@link ProcgenValidationError} that names each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ProcgenValidationError(
    what,
    r.error.issues.map((i) => ({ path: i.path, message: i.message })),
    { cause: r.error },
  );
}
