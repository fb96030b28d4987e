import type { Response } from 'express';
import { formatIssues, formatPath } from '../../shared/index.ts';
import type { Issue } from '../../shared/index.ts';

/** The statuses the admin API answers errors with. */
export type AdminStatus = 400 | 401 | 404 | 409 | 413 | 500 | 503 | 504;

/** An admin request that cannot be served: its HTTP status, a message, and (for 400) the issues with their paths. */
export class AdminError extends Error {
  constructor(readonly status: AdminStatus, message: string, readonly issues: readonly Issue[] = []) {
    super(message);
    this.name = 'AdminError';
  }
}

/** A 400 naming every bad field: `{ error: 'invalid scenario: spawns[2].pack.size: …', issues: [{ path, message }] }`. */
export function badRequest(what: string, issues: readonly Issue[]): AdminError {
  const text = formatIssues(issues);
  return new AdminError(400, `invalid ${what}: ${text}`, issues);
}

/** Send an error as JSON. */
export function sendError(res: Response, err: AdminError): void {
  res.status(err.status).json({
    error: err.message,
    ...(err.issues.length && { issues: err.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) }),
  });
}

/**
 * Any error thrown while serving an admin request, as the error the API answers: an {@link AdminError} as it is; a
 * dependency that is down (Colyseus' ServerError with code 503, e.g. Redis in an outage) 503; anything else 500.
 */
export function adminErrorOf(err: unknown): AdminError {
  if (err instanceof AdminError) return err;
  const e = err as { code?: unknown; message?: string } | null;
  if (e?.code === 503) return new AdminError(503, e.message ?? 'service unavailable');
  return new AdminError(500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
}
