import type { Response } from 'express';
import { formatIssues, formatPath } from '../../shared/index.ts';
import type { Issue } from '../../shared/index.ts';

/** An admin request that cannot be served: its HTTP status, a message, and (for 400) the issues with their paths. */
export class AdminError extends Error {
  constructor(readonly status: 400 | 401 | 404 | 409 | 413 | 500 | 503, message: string, readonly issues: readonly Issue[] = []) {
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
