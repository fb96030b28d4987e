import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LiveStats } from '../../llm/index.ts';
import type { LlmGateway } from '../../llm/index.ts';
import { createAdminRouter } from '../../server/admin/adminRouter.ts';
import { ScenarioLibrary } from '../../server/index.ts';
import type { ManualClock } from '../../shared/index.ts';
import { startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { gatewayFor, KEYS, Plan, testRegistry } from '../llm/helpers.ts';
import { startTestServer } from '../rooms/serverHarness.ts';

const TOKEN = 'test-admin-token-0123456789';
const OA = 'openai:gpt-4o-mini';
const GE = 'gemini:gemini-2.5-flash';
const AN = 'anthropic:claude-haiku-4-5';

async function get(base: string, path: string, token: string | null = TOKEN): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(base + path, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const ask = (k: number) => ({ operation: 'tactics', messages: [{ role: 'user' as const, content: `plan ${k}` }], schema: Plan });

describe('GET /admin/models and /admin/models/:name/status (the routes over a gateway with two fakes)', () => {
  let openai: FakeProvider;
  let gemini: FakeProvider;
  let http: Server;
  let base: string;
  let gw: LlmGateway;
  let clock: ManualClock;
  let stats: LiveStats;

  beforeAll(async () => {
    [openai, gemini] = await Promise.all([startFake('openai'), startFake('gemini')]);
    // Anthropic has no key here: listed, not routable.
    ({ gw, clock } = gatewayFor([openai, gemini], { routing: { strategy: 'cost' }, retry: { maxRetries: 0 }, breaker: { failureThreshold: 2 }, cache: { enabled: false }, queue: { concurrency: { openai: 4, anthropic: 2, gemini: 1 } } }));
    stats = new LiveStats(clock);
    gw.router.useLiveStats(stats);
    gw.telemetry.onRecord((r) => stats.recordCall(r));
    // Gemini's one slot is held and three background requests wait for it.
    gw.queue.acquire('gemini', 'battle', 'r1', 60_000);
    for (let i = 0; i < 3; i++) void gw.queue.acquire('gemini', 'background', `r${i}`, 60_000);
    const registry = testRegistry({ anthropic: { enabled: true } });
    const app = express();
    app.use('/admin', createAdminRouter({ token: TOKEN, scenarios: new ScenarioLibrary(), llm: gw, trustedOptions: {}, registry, clock }));
    http = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => http.close(() => r()));
    await Promise.all([openai.close(), gemini.close()]);
  });

  it('lists every registry model: entry, enabled, price, live figures, breaker, cooldown, queue and spend today', async () => {
    openai.respond(() => ({ type: 'ok', text: '{"ok":true}', usage: { input: 1000, output: 500 } }));
    for (let k = 0; k < 6; k++) await gw.call(ask(k));
    const r = await get(base, '/admin/models');
    expect(r.status).toBe(200);
    expect(r.body.models.map((m: { id: string }) => m.id)).toEqual([OA, AN, GE]);
    const oa = r.body.models[0];
    expect(oa).toMatchObject({
      id: OA, provider: 'openai', model: 'gpt-4o-mini', enabled: true, routable: true, note: null,
      entry: { provider: 'openai', model: 'gpt-4o-mini', contextWindow: 128000, latencyMs: 900, quality: 0.62, capabilities: { json: true, streaming: true } },
      price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: '2026-01-01' },
      live: { id: OA, attempts: 6, successes: 6, successRate: 1, latencyMs: { samples: 6 }, lastError: null },
      breaker: 'closed', coolingDownMs: 0, queue: { provider: 'openai', cap: 4, inFlight: 0, waiting: { battle: 0, dialogue: 0, background: 0 } },
      spend: { day: '2023-11-14' },
    });
    // 6 calls × (1000 × $0.15 + 500 × $0.60) per 1M tokens.
    expect(oa.spend.todayUsd).toBeCloseTo(6 * 450 / 1e6, 12);
    expect(oa.spend.sinceStartUsd).toBeCloseTo(6 * 450 / 1e6, 12);
    expect(r.body.models[1]).toMatchObject({ id: AN, enabled: true, routable: false, note: 'provider anthropic is not configured (no key, or disabled in the config file)', live: null, breaker: null, queue: { provider: 'anthropic', cap: 2, inFlight: 0 } });
    expect(r.body.models[2]).toMatchObject({ id: GE, routable: true, live: { attempts: 0 }, queue: { provider: 'gemini', cap: 1, inFlight: 1, waiting: { background: 3 } }, spend: { todayUsd: 0 } });
    expect(r.body.live).toEqual({ windowMs: 300_000 });
    // Spend today starts again at the next UTC day.
    clock.advance(24 * 3600_000);
    expect((await get(base, `/admin/models/${OA}/status`)).body.spend).toMatchObject({ day: '2023-11-15', todayUsd: 0 });
  });

  it('shows a model\'s breaker, cooldown and last error after it fails', async () => {
    openai.respond(() => ({ type: 'error', status: 503, headers: { 'retry-after': '20' } }));
    await gw.call(ask(100));
    openai.respond(() => ({ type: 'error', status: 500 }));
    clock.advance(21_000);
    await gw.call(ask(101));
    await gw.call(ask(102));
    const r = await get(base, `/admin/models/${encodeURIComponent(OA)}/status`);
    expect(r.status).toBe(200);
    // Two failures open the breaker; the third call skips the model (nothing sent: not counted).
    expect(r.body).toMatchObject({ id: OA, breaker: 'open', live: { failures: 2, failuresByKind: { server: 2 }, lastError: { kind: 'server', probe: false } } });
    openai.respond(() => ({ type: 'error', status: 429, headers: { 'retry-after': '30' } }));
    clock.advance(10_000); // past the breaker's cooldown: half-open, one call may go
    await gw.call(ask(103));
    const cooling = await get(base, `/admin/models/${OA}/status`);
    expect(cooling.body.coolingDownMs).toBe(30_000);
    expect(cooling.body.live.lastError).toMatchObject({ kind: 'rate_limit', at: clock.now() });
  });

  it('answers 404 naming an unknown model, and 401 without the token', async () => {
    expect(await get(base, '/admin/models/openai:gpt-9/status')).toEqual({ status: 404, body: { error: `no model 'openai:gpt-9' in the registry (models are named provider:model, e.g. ${OA})` } });
    expect((await get(base, '/admin/models', null)).status).toBe(401);
    expect((await get(base, `/admin/models/${OA}/status`, 'wrong')).status).toBe(401);
  });
});

describe('the models routes on a running server', () => {
  let openai: FakeProvider;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let base: string;
  beforeAll(async () => {
    openai = await startFake('openai', () => ({ type: 'ok', text: '{"formation":"line"}', usage: { input: 2000, output: 100 } }));
    vi.stubEnv('OPENAI_API_KEY', KEYS.openai);
    vi.stubEnv('OPENAI_BASE_URL', openai.baseURL);
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    vi.stubEnv('GEMINI_API_KEY', '');
    vi.stubEnv('GOOGLE_API_KEY', '');
    vi.stubEnv('LAIRMIND_CONFIG', '');
    server = await startTestServer({ ADMIN_TOKEN: TOKEN });
    base = server.url.replace('ws://', 'http://');
  });
  afterAll(async () => {
    await server?.close();
    await openai.close();
    vi.unstubAllEnvs();
  });

  it('lists the built-in registry with what this server routes to, and one model by its id', async () => {
    await server.llm.call({ operation: 'dialogue', messages: [{ role: 'user', content: 'hi' }], routing: { strategy: 'pinned', pinned: 'openai:gpt-4.1-mini' } });
    const r = await get(base, '/admin/models');
    expect(r.status).toBe(200);
    const byId = Object.fromEntries((r.body.models as { id: string }[]).map((m) => [m.id, m])) as Record<string, any>;
    expect(Object.keys(byId)).toEqual(expect.arrayContaining(['openai:gpt-4o-mini', 'openai:gpt-5', 'anthropic:claude-haiku-4-5', 'gemini:gemini-2.5-flash']));
    expect(byId['openai:gpt-4o-mini']).toMatchObject({ routable: true, breaker: 'closed', note: null });
    expect(byId['openai:gpt-5']).toMatchObject({ enabled: false, routable: false, note: 'disabled in the registry', breaker: null });
    expect(byId['anthropic:claude-haiku-4-5']).toMatchObject({ routable: false, note: expect.stringMatching(/^provider anthropic is not configured/) });
    // 2000 × $0.40 + 100 × $1.60 per 1M tokens.
    expect(byId['openai:gpt-4.1-mini'].spend.todayUsd).toBeCloseTo(0.00096, 10);
    const one = await get(base, '/admin/models/openai%3Agpt-4.1-mini/status');
    expect(one).toMatchObject({ status: 200, body: { id: 'openai:gpt-4.1-mini', price: { input: 0.4, output: 1.6 }, spend: { todayUsd: byId['openai:gpt-4.1-mini'].spend.todayUsd } } });
    expect((await get(base, '/admin/models/nope/status')).status).toBe(404);
  });
});
