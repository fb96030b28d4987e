import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@colyseus/sdk';
import { expect } from 'vitest';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { KEYS } from '../llm/helpers.ts';
import { track, waitFor } from '../rooms/serverHarness.ts';
import type { Joined } from '../rooms/serverHarness.ts';

/** A server as shipped in its own process with a fake OpenAI, player tokens and the admin API on (shared by the cloud tests). */

export const SECRET = 'cloud-battle-test-secret-0123456789-abcdef';
export const ADMIN = 'admin-token-for-cloud-battle-tests';
export const MODEL = 'gpt-4o-mini';
export const MODEL_ID = `openai:${MODEL}`;
/** Each ok reply reports these tokens: $0.00021 on gpt-4o-mini. */
export const USAGE = { input: 1000, output: 100 };

/** Config files of the cloud tests (the importing test removes it when done). */
export const dir = mkdtempSync(join(tmpdir(), 'lairmind-cloud-'));

/** A config file with OpenAI as the only provider and gpt-4o-mini as its only model (so routing is fixed), plus `extra` lines. */
export function configFile(name: string, extra: string[] = []): string {
  const file = join(dir, name);
  writeFileSync(file, [
    'providers: { openai: {} }',
    'models:',
    '  entries:',
    `    - { provider: openai, model: ${MODEL}, capabilities: { json: true, streaming: true }, contextWindow: 128000, price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: 2025-07-04 }, latencyMs: 900, quality: 0.62 }`,
    'cache: { enabled: false }',
    ...extra,
  ].join('\n') + '\n');
  return file;
}

/** The server as shipped, with the fake as OpenAI, player tokens and the admin API on, and no wild monsters. */
export function startServer(fake: FakeProvider, config: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess({
    TRANSPORT: 'ws', MATCHMAKE_LOOPBACK: 'exempt', MONSTER_DENSITY: '0', WORLD_SIZE: '64', SEED: 'cloud-battle',
    AUTH_SECRET: SECRET, ADMIN_TOKEN: ADMIN, LAIRMIND_CONFIG: config, OPENAI_API_KEY: KEYS.openai, OPENAI_BASE_URL: fake.baseURL, ...env,
  }, { captureLogs: true, timeoutMs: 60_000 });
}

export interface Http {
  status: number;
  /** The JSON answer (null for text), checked field by field. */
  body: any;
  text: string;
}

export async function http(server: ServerProcess, method: string, path: string, body?: unknown): Promise<Http> {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // /metrics is text
  }
  return { status: res.status, body: json, text };
}

/** Poll `check` until it returns a value (not undefined/false), or fail after `ms` naming what was awaited and the last value seen. */
export async function poll<T>(what: string, check: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A signed premium token for `player`, from the admin API. */
export async function premiumToken(server: ServerProcess, player: string): Promise<string> {
  const res = await http(server, 'POST', '/admin/players/tokens', { player, tier: 'premium', ttlSeconds: 600 });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

/** Create a room of one's own (with `token`, or as a guest) and wait for one's avatar and its position. */
export async function joinAlone(server: ServerProcess, token: string | undefined): Promise<{ joined: Joined; at: { x: number; y: number } }> {
  const client = new Client(server.url);
  if (token !== undefined) client.auth.token = token;
  const joined = track(await client.create('world', { name: 'hero' }));
  const at = await waitFor('the avatar in the state', () => {
    const e = joined.mirror.entities.get(String(joined.avatar()));
    return e && { x: e.x, y: e.y };
  }, 10_000);
  return { joined, at };
}

/** Values of the `name` series in a Prometheus text exposition, by label set. */
export function series(text: string, name: string): { labels: string; value: number }[] {
  return text.split('\n').flatMap((line) => {
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    return m ? [{ labels: m[1] ?? '', value: Number(m[2]) }] : [];
  });
}
