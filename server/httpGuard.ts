import { hasAdminToken } from './adminAuth.ts';

/** A response given from the request line and headers alone, before any body byte is read. */
export interface HttpRefusal {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text `{ "error": … }`. */
  readonly body: string;
}

/** Decides from the method, path and headers whether a request may go on to have its body read. */
export type HttpGuard = (method: string, path: string, header: (name: string) => string | undefined) => HttpRefusal | undefined;

/** Body limits in bytes, by route. */
export interface HttpLimits {
  /** Admin API and monitor, once the token checked out (scenario documents). */
  readonly adminBodyBytes: number;
  /** Matchmaking requests (room options: a name, a scenario). */
  readonly matchmakeBodyBytes: number;
  /** Everything else. */
  readonly bodyBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { adminBodyBytes: 4 * 1024 * 1024, matchmakeBodyBytes: 4 * 1024, bodyBytes: 64 * 1024 };

/** Routes that need the admin token: refused before their body is read. */
const ADMIN_PREFIXES = ['/admin', '/colyseus'];

function refuse(status: number, error: string, headers: Record<string, string> = {}): HttpRefusal {
  return { status, headers: { 'Content-Type': 'application/json', Connection: 'close', ...headers }, body: JSON.stringify({ error }) };
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/');
}

/**
 * The checks every HTTP request passes before the transport reads its body, so that an unauthenticated or
 * oversized request costs the server its headers and nothing more:
 * - a body must declare its length (`Transfer-Encoding` is refused with 411), and the length must be within the
 *   route's limit (413);
 * - the admin API and monitor need the admin token (401), checked before the body is read; without a token
 *   configured they are not mounted and fall through to 404.
 */
export function createHttpGuard(adminToken: string | undefined, limits: HttpLimits = DEFAULT_HTTP_LIMITS): HttpGuard {
  return (method, path, header) => {
    const admin = ADMIN_PREFIXES.some((p) => isUnder(path, p));
    if (admin && adminToken !== undefined && !hasAdminToken(header('authorization'), adminToken)) {
      const realm = isUnder(path, '/colyseus') ? 'Basic realm="lairmind admin"' : 'Bearer realm="lairmind admin"';
      return refuse(401, 'missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)', { 'WWW-Authenticate': realm });
    }
    if (header('transfer-encoding') !== undefined) {
      return refuse(411, `${method} ${path}: a request body must declare its Content-Length (Transfer-Encoding is not accepted)`);
    }
    const declared = header('content-length');
    if (declared === undefined || declared === '') return undefined;
    const length = Number(declared);
    if (!/^\d+$/.test(declared.trim()) || !Number.isSafeInteger(length)) return refuse(400, `${method} ${path}: Content-Length '${declared.slice(0, 32)}' is not a byte count`);
    const limit = admin ? limits.adminBodyBytes : isUnder(path, '/matchmake') ? limits.matchmakeBodyBytes : limits.bodyBytes;
    if (length > limit) return refuse(413, `${method} ${path}: body of ${length} bytes is over the limit of ${limit} bytes`);
    return undefined;
  };
}
