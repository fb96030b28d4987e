import { timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries the admin token, as `Bearer <token>` or as the password of Basic
 * auth (so a browser can open the monitor). Constant-time comparison.
 */
export function hasAdminToken(header: string | undefined, token: string): boolean {
  if (!header) return false;
  let presented: string | undefined;
  if (header.startsWith('Bearer ')) presented = header.slice(7).trim();
  else if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    presented = colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
