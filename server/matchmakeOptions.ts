import { checkPlayerOptions } from '../rooms/index.ts';

/** Bounds of the options a client sends with a matchmaking request. */
export interface MatchmakeOptionLimits {
  /** Largest body, in bytes. */
  readonly bodyBytes: number;
  /** Deepest nesting of objects and arrays (the options object itself is level 1). */
  readonly depth: number;
  /** Most keys and array items, counted over the whole document. */
  readonly entries: number;
}

export const DEFAULT_MATCHMAKE_OPTION_LIMITS: MatchmakeOptionLimits = { bodyBytes: 4 * 1024, depth: 4, entries: 64 };

/** Keys that reach for an object's prototype when a document is merged into another object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Longest key or type name quoted back in an error. */
const QUOTE_CHARS = 40;

/** Clean options (only what a player may set, plain JSON), or why the body was refused (status 400, 413 or 415). */
export type CheckedMatchmakeBody = { ok: true; options: Record<string, unknown> } | { ok: false; status: 400 | 413 | 415; error: string };

/**
 * Check the body of `POST /matchmake/<method>/<room>` before Colyseus sees it: JSON (by content type and by
 * syntax) within the size limit, an object nested no deeper than the limit with no prototype-reaching keys, and
 * only keys a player may set (`reconnect` carries only its `reconnectionToken`). An empty body is `{}`.
 */
export function checkMatchmakeBody(method: string, contentType: string | null, body: Uint8Array, limits: MatchmakeOptionLimits = DEFAULT_MATCHMAKE_OPTION_LIMITS): CheckedMatchmakeBody {
  if (body.byteLength > limits.bodyBytes) return { ok: false, status: 413, error: `matchmaking options of ${body.byteLength} bytes are over the limit of ${limits.bodyBytes} bytes` };
  if (body.byteLength === 0) return { ok: true, options: {} };
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, status: 415, error: `matchmaking options must be JSON (Content-Type: application/json), not ${quote(type || 'none')}` };
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (err) {
    return { ok: false, status: 400, error: `matchmaking options are not valid JSON: ${(err instanceof Error ? err.message : String(err)).slice(0, 120)}` };
  }
  const shape = checkShape(doc, limits);
  if (shape) return { ok: false, status: 400, error: shape };
  const options = doc as Record<string, unknown>;
  if (method === 'reconnect') {
    const extra = Object.keys(options).find((k) => k !== 'reconnectionToken');
    if (extra !== undefined) return { ok: false, status: 400, error: `reconnect takes only reconnectionToken, not ${quote(extra)}` };
    const token = options.reconnectionToken;
    if (typeof token !== 'string' || token.length < 1 || token.length > 128) return { ok: false, status: 400, error: 'reconnectionToken: expected a string of 1 to 128 characters' };
    return { ok: true, options: { reconnectionToken: token } };
  }
  const checked = checkPlayerOptions(options);
  if (!checked.ok) return { ok: false, status: 400, error: checked.error };
  return { ok: true, options: { ...checked.value } };
}

/** What is wrong with the document's shape, or null: an object, not too deep or big, no prototype-reaching keys. */
function checkShape(doc: unknown, limits: MatchmakeOptionLimits): string | null {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return `matchmaking options must be a JSON object, not ${doc === null ? 'null' : Array.isArray(doc) ? 'an array' : typeof doc}`;
  }
  let entries = 0;
  const stack: { value: object; path: string; depth: number }[] = [{ value: doc, path: 'options', depth: 1 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.depth > limits.depth) return `matchmaking options are nested deeper than ${limits.depth} levels (at ${top.path})`;
    const keys = Object.keys(top.value);
    entries += keys.length;
    if (entries > limits.entries) return `matchmaking options have more than ${limits.entries} keys and items`;
    for (const key of keys) {
      const path = Array.isArray(top.value) ? `${top.path}[${key}]` : `${top.path}.${key.slice(0, QUOTE_CHARS)}`;
      if (!Array.isArray(top.value) && FORBIDDEN_KEYS.has(key)) return `matchmaking options: key ${quote(key)} is not allowed (at ${path})`;
      const v = (top.value as Record<string, unknown>)[key];
      if (typeof v === 'object' && v !== null) stack.push({ value: v, path, depth: top.depth + 1 });
    }
  }
  return null;
}

function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text);
}
