import { tempDataDir } from '../../tools/tempDataDir.ts';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, loadConfig, startServer } from '../../server/index.ts';
import type { RunningServer } from '../../server/index.ts';
import { freePort } from '../../tools/freePort.ts';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { KEYS } from '../llm/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'lairmind-server-config-'));

function writeConfig(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('a bad lairmind.config.yaml refuses to start the server, with the reason', () => {
  const cases: [string, string, RegExp][] = [
    ['negative.yaml', 'budgets:\n  player: { costUsd: { hard: -1 } }\n', /budgets\.player\.costUsd\.hard: got -1; expected a number of at least 0/],
    ['tier.yaml', 'tiers:\n  gold: { layers: {} }\ndefaultTier: whale\n', /defaultTier: unknown tier "whale" \(tiers: gold\)/],
  ];
  it.each(cases)('%s', async (name, text, reason) => {
    const file = writeConfig(name, text);
    let err: Error | undefined;
    try {
      const server = await startServerProcess({ LAIRMIND_CONFIG: file, TRANSPORT: 'ws' }, { captureLogs: true, timeoutMs: 60_000 });
      await server.stop();
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/the server exited with code 1 before it was ready/);
    expect(err?.message).toContain(`lairmind: invalid lairmind config ${file}: `);
    expect(err?.message).toMatch(reason);
  }, 90_000);
});

describe('the server builds its gateway from the config file and the environment', () => {
  let openai: FakeProvider;
  let hook: Server;
  let hookUrl: string;
  const posts: unknown[] = [];
  let running: RunningServer | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    openai = await startFake('openai', () => ({ type: 'ok', text: 'plan', usage: { input: 100, output: 50 } }));
    hook = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        posts.push(JSON.parse(Buffer.concat(parts).toString('utf8')));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook/SECRET-hook-path`;
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(async () => {
    await running?.close();
    await openai.close();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('tiers, default tier, budgets and providers from the file; keys and base URLs from the environment; budget alerts reach the log and the webhook', async () => {
    const file = writeConfig('good.yaml', [
      'providers: { openai: {}, anthropic: { enabled: false } }',
      'models:',
      '  entries:',
      '    - { provider: openai, model: gpt-4o-mini, capabilities: { json: true, streaming: true }, contextWindow: 128000, price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: 2026-01-01 }, latencyMs: 900, quality: 0.6 }',
      'tiers:',
      '  guest: { layers: {} }',
      '  vip: { layers: {}, alertDailyCostUsd: 5 }',
      'defaultTier: guest',
      'budgets:',
      '  tenant: { costUsd: { hard: 1 } }',
      '  alertFractions: [0.0001]',
      'retry: { maxRetries: 0 }',
    ].join('\n') + '\n');
    vi.stubEnv('LAIRMIND_CONFIG', file);
    vi.stubEnv('OPENAI_API_KEY', KEYS.openai);
    vi.stubEnv('OPENAI_BASE_URL', openai.baseURL);
    vi.stubEnv('ANTHROPIC_API_KEY', KEYS.anthropic);
    vi.stubEnv('LAIRMIND_ALERT_WEBHOOK_URL', hookUrl);
    const port = await freePort();
    const logger = createLogger('info', { write: (s: string) => void lines.push(s) });
    running = await startServer(loadConfig({ PORT: String(port), TRANSPORT: 'ws', WORLD_SIZE: '64', SEED: 'config', DATA_DIR: tempDataDir('test') }), { logger });

    expect(running.llm.providers).toEqual(['openai', 'local']);
    expect(running.llm.models.map((m) => m.id)).toEqual(['openai:gpt-4o-mini']);
    expect(Object.keys(running.llm.tiers.tiers)).toEqual(['guest', 'vip']);
    expect(running.llm.tiers.defaultTier).toBe('guest');
    expect(running.llm.accounting.budgets.config.tenant).toEqual({ costUsd: { hard: 1 } });
    const ready = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).startsWith('llm: gateway ready'));
    expect(ready).toMatchObject({ config: file, providers: { openai: 'on', anthropic: 'disabled' }, alerts: expect.stringMatching(/^log and http:\/\/127\.0\.0\.1:\d+\/…$/) });

    const res = await running.llm.call({ operation: 'tactics', messages: [{ role: 'user', content: 'plan the ambush' }], tenant: 'studio-1' });
    expect(res.provider).toBe('openai');
    expect(openai.requests).toHaveLength(1);
    const end = performance.now() + 5000;
    while (posts.length === 0 && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(posts).toEqual([expect.objectContaining({ type: 'lairmind.budget_alert', scope: 'tenant', subject: 'studio-1', limitUsd: 1, fraction: 0.0001 })]);
    const alertLine = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).startsWith('llm: budget alert'));
    expect(alertLine).toMatchObject({ level: 40, scope: 'tenant', subject: 'studio-1', limitUsd: 1, fraction: 0.0001 });
    expect(lines.join('\n')).not.toContain('SECRET-hook-path');
    expect(lines.join('\n')).not.toContain(KEYS.openai);
  }, 60_000);
});
