/** A header source: a fetch `Headers`, or a plain object. */
export type HeaderLike = { get(name: string): string | null } | Record<string, string | string[] | undefined> | undefined | null;

function header(h: HeaderLike, name: string): string | undefined {
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The delay a provider asked for, in ms: `retry-after-ms` (ms), else `retry-after` (seconds or an
 * HTTP date, relative to `nowMs`). Undefined when absent or unparsable.
 */
export function parseRetryAfter(h: HeaderLike, nowMs: number): number | undefined {
  const ms = header(h, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = header(h, 'retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

/** Google's RetryInfo (`"retryDelay": "12s"` / `"1.5s"`) inside an error body, in ms. */
export function parseRetryDelay(text: string): number | undefined {
  const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}
