/**
 * Calls to the server's admin API from the designer panel. The token is typed in by the user and passed in
 * by the caller on each call; nothing here stores it (no storage, no cookies, no URL).
 */

/** The outcome of an admin call: the parsed body on success, or a message fit to show the user. */
export type AdminResult = { readonly ok: true; readonly status: number; readonly body: unknown } | { readonly ok: false; readonly status: number; readonly error: string };

/** A `fetch`-like function (the browser's, or a fake in tests). */
export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly statusText?: string;
  text(): Promise<string>;
}>;

/** Parse the scenario text the user typed; a syntax error comes back as a message naming the position. */
export function parseScenarioText(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (!text.trim()) return { ok: false, error: 'scenario: empty; paste a JSON scenario' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `scenario: not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The text to show for a failed response: the JSON body's `error` (or `message`) if there is one, else the body, else the status. */
export function errorText(status: number, statusText: string | undefined, body: string): string {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const e = parsed.error ?? parsed.message;
    if (typeof e === 'string') message = e;
    else if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') message = (e as { message: string }).message;
  } catch {
    // not JSON: show the text as it came
  }
  if (message.length > 500) message = message.slice(0, 500) + '…';
  return `${status}${statusText ? ' ' + statusText : ''}${message ? ': ' + message : ''}`;
}

/** Call the admin API: `method path` under `baseUrl` with the bearer token and an optional JSON body. */
export async function adminCall(fetchFn: Fetch, baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<AdminResult> {
  if (!token.trim()) return { ok: false, status: 0, error: 'admin token: empty; type the server\'s ADMIN_TOKEN' };
  const headers: Record<string, string> = { Authorization: `Bearer ${token.trim()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetchFn(baseUrl.replace(/\/$/, '') + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  } catch (err) {
    return { ok: false, status: 0, error: `could not reach the server: ${err instanceof Error ? err.message : String(err)}` };
  }
  const text = await res.text();
  if (!res.ok) return { ok: false, status: res.status, error: errorText(res.status, res.statusText, text) };
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    // plain text answer
  }
  return { ok: true, status: res.status, body: parsed };
}

/**
 * Spawn a scenario into room `roomId`: `POST /admin/rooms/:roomId/spawn` with the scenario as the JSON body, its
 * origin at `at` (world units; e.g. where the camera looks) when given.
 */
export async function spawnScenario(fetchFn: Fetch, baseUrl: string, token: string, roomId: string, scenarioText: string, at?: { x: number; y: number }): Promise<AdminResult> {
  const scenario = parseScenarioText(scenarioText);
  if (!scenario.ok) return { ok: false, status: 0, error: scenario.error };
  if (!roomId) return { ok: false, status: 0, error: 'room: not joined to a room yet' };
  const query = at ? `?x=${Math.round(at.x * 10) / 10}&y=${Math.round(at.y * 10) / 10}` : '';
  return adminCall(fetchFn, baseUrl, token, 'POST', `/admin/rooms/${encodeURIComponent(roomId)}/spawn${query}`, scenario.value);
}

/** The words to show for a successful spawn: the server's `message`, else a count. */
export function spawnedText(body: unknown): string {
  const b = body as { message?: unknown; count?: unknown } | null;
  if (typeof b?.message === 'string') return b.message;
  return typeof b?.count === 'number' ? `Spawned ${b.count} actor${b.count === 1 ? '' : 's'}.` : 'Spawned.';
}

/** Details of one actor (traits, decision, memory, budget), if the admin API offers them: `GET /admin/rooms/:roomId/actors/:id`. */
export async function inspectActor(fetchFn: Fetch, baseUrl: string, token: string, roomId: string, actor: number): Promise<AdminResult> {
  return adminCall(fetchFn, baseUrl, token, 'GET', `/admin/rooms/${encodeURIComponent(roomId)}/actors/${actor}`);
}

/** Save the room now: `POST /admin/rooms/:roomId/snapshot` (answers with the tick and size written). */
export async function saveRoom(fetchFn: Fetch, baseUrl: string, token: string, roomId: string): Promise<AdminResult> {
  if (!roomId) return { ok: false, status: 0, error: 'room: not joined to a room yet' };
  return adminCall(fetchFn, baseUrl, token, 'POST', `/admin/rooms/${encodeURIComponent(roomId)}/snapshot`);
}

/** Fork the room's latest snapshot into a new sandbox room: `POST /admin/rooms {fromSnapshot: {roomId}}`. */
export async function forkRoom(fetchFn: Fetch, baseUrl: string, token: string, roomId: string): Promise<AdminResult> {
  if (!roomId) return { ok: false, status: 0, error: 'room: not joined to a room yet' };
  return adminCall(fetchFn, baseUrl, token, 'POST', '/admin/rooms', { fromSnapshot: { roomId } });
}
