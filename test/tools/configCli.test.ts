import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from './runCli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lairmind-config-cli-'));

afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = 0;
});

describe('lairmind config check', () => {
  it('a valid file: exit 0 and a short summary (providers with where their key comes from, never the key; the webhook host only)', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-secret-value');
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    vi.stubEnv('LAIRMIND_ALERT_WEBHOOK_URL', '');
    const r = await cli('config', 'check', 'lairmind.config.example.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toContain('lairmind.config.example.yaml: ok');
    expect(r.out).toContain('providers: openai (on, key from OPENAI_API_KEY), anthropic (no key: set ANTHROPIC_API_KEY), gemini (disabled); local always');
    expect(r.out).toContain('models: 2 enabled of 2 (models.entries)');
    expect(r.out).toContain('tiers: free, premium, whale; default tier: free');
    expect(r.out).toContain('budgets: call, room, player, deployment.daily, deployment.monthly; alerts at 0.8, 1 of a cost limit');
    expect(r.out).toContain('alerts: log and webhook https://hooks.example.com/…');
    expect(r.out).not.toContain('sk-secret-value');
    expect(r.out).not.toContain('lairmind-alerts');
  });

  it('a bad file: exit 1 and every error with its path', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'providers:\n  openai: { apiKey: sk-1 }\nbudgets:\n  tenant: { costUsd: { hard: -0.5 } }\nmodels:\n  entries:\n    - { provider: acme, model: m, capabilities: { json: true, streaming: true }, contextWindow: 1000, price: { input: 1, cachedInput: 1, output: 1, checked: 2026-01-01 }, latencyMs: 10, quality: 0.5 }\n');
    const r = await cli('config', 'check', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}: 3 errors`);
    expect(r.err).toMatch(/ {2}providers\.openai\.apiKey: unknown key: API keys are read from environment variables only/);
    expect(r.err).toContain('  budgets.tenant.costUsd.hard: got -0.5; expected a number of at least 0');
    expect(r.err).toContain('  models.entries[0].provider: unknown provider "acme" (known: openai, anthropic, gemini)');
    const yaml = join(dir, 'broken.yaml');
    writeFileSync(yaml, 'routing:\n  strategy: cost\n   maxFallbacks: 1\n');
    const y = await cli('config', 'check', yaml);
    expect(y.code).toBe(1);
    expect(y.err).toContain(`${yaml}: 1 error\n  YAML syntax error at line 2, column 13: Nested mappings are not allowed in compact mappings\n    1 | routing:\n    2 |   strategy: cost\n      |             ^`);
  });

  it('without a file: the one LAIRMIND_CONFIG names, else the embedded default', async () => {
    const file = join(dir, 'env.yaml');
    writeFileSync(file, 'defaultTier: nobody\n');
    vi.stubEnv('LAIRMIND_CONFIG', file);
    const r = await cli('config', 'check');
    expect(r.code).toBe(1);
    expect(r.err).toContain('  defaultTier: unknown tier "nobody" (tiers: free, premium, whale)');
    vi.stubEnv('LAIRMIND_CONFIG', '');
    const d = await cli('config', 'check');
    expect(d.code).toBe(0);
    expect(d.out).toMatch(/the embedded default is used/);
    expect(d.out).toContain('tiers: free, premium, whale (built in); default tier: none (calls name their tier)');
  });

  it('config schema writes the JSON Schema that is committed', async () => {
    const out = join(dir, 'schema.json');
    const r = await cli('config', 'schema', '--out', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync('lairmind.config.schema.json', 'utf8'));
  });
});
