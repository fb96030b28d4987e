import type { Server } from 'node:http';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LiveStats } from '../../llm/index.ts';
import { createAdminRouter } from '../../server/admin/adminRouter.ts';
import { ScenarioLibrary } from '../../server/index.ts';
import { cli } from './runCli.ts';
import { startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { gatewayFor, Plan, testRegistry } from '../llm/helpers.ts';

const TOKEN = 'models-cli-admin-token-0123456789';

/** The cells of the table row of `id`. */
function row(out: string, id: string): string[] {
  const line = out.split('\n').find((l) => l.startsWith(`${id} `));
  if (!line) throw new Error(`no row for ${id} in:\n${out}`);
  return line.split(/ {2,}/);
}

afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = 0;
});

describe('lairmind models, from the config file (no server)', () => {
  it('lists the registry with what would be routed given the keys here, and no live figures', async () => {
    vi.stubEnv('LAIRMIND_CONFIG', 'lairmind.config.example.yaml');
    vi.stubEnv('OPENAI_API_KEY', 'sk-secret-value');
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    const r = await cli('models');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^models of .*lairmind\.config\.example\.yaml with the keys in this environment/);
    expect(r.out.split('\n')[1]).toMatch(/^MODEL +STATE +\$\/1M IN\/OUT +QUALITY +LATENCY +LIVE P50\/P95 +OK +BREAKER +COOLDOWN +QUEUE +SPEND TODAY +LAST ERROR$/);
    expect(row(r.out, 'openai:gpt-4o-mini')).toEqual(['openai:gpt-4o-mini', 'on', '0.15/0.6', '0.62', '900 ms', '-', '-', '-', '-', '-', '-', '-']);
    expect(row(r.out, 'anthropic:claude-haiku-4-5').slice(0, 3)).toEqual(['anthropic:claude-haiku-4-5', 'off', '1/5']);
    expect(r.out).toContain('  anthropic:claude-haiku-4-5: provider anthropic has no key (set ANTHROPIC_API_KEY)');
    expect(r.out).not.toContain('sk-secret-value');
    const one = await cli('models', 'openai:gpt-4o-mini', '--json');
    expect(JSON.parse(one.out)).toMatchObject({ id: 'openai:gpt-4o-mini', routable: true, price: { input: 0.15 }, live: null, spend: null });
    const unknown = await cli('models', 'openai:gpt-9');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/lairmind: no model 'openai:gpt-9' in the registry of .*lairmind\.config\.example\.yaml/);
  });
});

describe('lairmind models --url, from a running admin API', () => {
  let openai: FakeProvider;
  let http: Server;
  let url: string;
  beforeAll(async () => {
    openai = await startFake('openai', () => ({ type: 'ok', text: '{"ok":true}', usage: { input: 1000, output: 500 } }));
    const { gw, clock } = gatewayFor([openai], { cache: { enabled: false } });
    const stats = new LiveStats(clock);
    gw.router.useLiveStats(stats);
    gw.telemetry.onRecord((r) => stats.recordCall(r));
    const app = express();
    app.use('/admin', createAdminRouter({ token: TOKEN, scenarios: new ScenarioLibrary(), llm: gw, trustedOptions: {}, registry: testRegistry(), clock }));
    http = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    for (let k = 0; k < 4; k++) await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: `plan ${k}` }], schema: Plan });
  });
  afterAll(async () => {
    await new Promise<void>((r) => http.close(() => r()));
    await openai.close();
  });

  it('prints the same table with live figures, breaker, queue and spend today', async () => {
    vi.stubEnv('ADMIN_TOKEN', TOKEN);
    const r = await cli('models', '--url', url);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`models on ${url} (live window 300 s)`);
    const oa = row(r.out, 'openai:gpt-4o-mini');
    expect(oa.slice(0, 5)).toEqual(['openai:gpt-4o-mini', 'on', '0.15/0.6', '0.62', '900 ms']);
    expect(oa[5]).toMatch(/^\d+\/\d+ ms$/);
    // 4 calls × (1000 × $0.15 + 500 × $0.60) per 1M tokens = $0.0018.
    expect(oa.slice(6)).toEqual(['100% of 4', 'closed', '-', '-', '$0.001800', '-']);
    expect(row(r.out, 'gemini:gemini-2.5-flash').slice(1, 2)).toEqual(['off']);
    const one = await cli('models', 'openai:gpt-4o-mini', '--url', url, '--json');
    expect(JSON.parse(one.out)).toMatchObject({ id: 'openai:gpt-4o-mini', live: { attempts: 4, successRate: 1 }, breaker: 'closed' });
  });

  it('says what went wrong: a wrong token, a missing token, an unknown model', async () => {
    vi.stubEnv('ADMIN_TOKEN', 'wrong-token');
    const wrong = await cli('models', '--url', url);
    expect(wrong).toMatchObject({ code: 1, err: '401: missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)' });
    vi.stubEnv('ADMIN_TOKEN', '');
    expect((await cli('models', '--url', url)).err).toMatch(/ADMIN_TOKEN is not set/);
    vi.stubEnv('ADMIN_TOKEN', TOKEN);
    const unknown = await cli('models', 'openai:gpt-9', '--url', url);
    expect(unknown).toMatchObject({ code: 1, err: expect.stringMatching(/^404: no model 'openai:gpt-9' in the registry/) });
  });
});
