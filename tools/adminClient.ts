/** The outcome of an admin API call. */
export interface AdminResponse {
  readonly status: number;
  readonly body: unknown;
}

/** The HTTP base of a server URL: `ws://h:p` and `wss://` become `http://` and `https://`; a trailing slash is dropped. */
export function httpBase(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--url: not a URL: '${url}' (e.g. http://127.0.0.1:2567)`);
  }
  if (u.protocol === 'ws:') u.protocol = 'http:';
  else if (u.protocol === 'wss:') u.protocol = 'https:';
  else if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`--url: expected http(s):// or ws(s)://, got '${u.protocol}'`);
  return u.toString().replace(/\/$/, '');
}

/** The admin token from the environment (ADMIN_TOKEN); throws with how to set it. */
export function adminToken(env: Record<string, string | undefined> = process.env): string {
  const t = env.ADMIN_TOKEN?.trim();
  if (!t) throw new Error('ADMIN_TOKEN is not set: export the server\'s admin token (ADMIN_TOKEN=...) before calling the admin API');
  return t;
}

/** How long an admin call may take, ms, unless the caller says otherwise. */
export const ADMIN_REQUEST_TIMEOUT_MS = 30_000;

/** Call the admin API with the bearer token; the body comes back parsed (JSON) or as text. Throws when there is no answer within `timeoutMs`. */
export async function adminRequest(base: string, token: string, method: string, path: string, body?: unknown, timeoutMs = ADMIN_REQUEST_TIMEOUT_MS): Promise<AdminResponse> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError') throw new Error(`${method} ${base}${path}: no answer within ${timeoutMs / 1000} s`, { cause: e });
    throw new Error(`${method} ${base}${path}: cannot reach the server (${err.cause?.code ?? err.cause?.message ?? String(e)})`, { cause: e });
  }
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    // plain text
  }
  return { status: res.status, body: parsed };
}

/** A failed call as one line (`401: missing or wrong admin token`), with each validation issue on its own line. */
export function describeFailure(r: AdminResponse): string {
  const b = r.body as { error?: unknown; issues?: { path: string; message: string }[] } | null;
  const head = `${r.status}: ${typeof b?.error === 'string' ? b.error : typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}`;
  return b?.issues?.length ? [head, ...b.issues.map((i) => `  ${i.path}: ${i.message}`)].join('\n') : head;
}
