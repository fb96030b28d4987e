import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkConfigFile, checkConfigText, CONFIG_SCHEMA_FILE, configJsonSchema, defaultConfig, defaultModelRegistry, DEFAULT_TIERS, EMBEDDED_DEFAULT,
  gatewaySetup, LlmGateway, loadLairmindConfig, providersFromEnv, readLairmindConfig,
} from '../../llm/index.ts';
import { formatIssues, ValidationError } from '../../shared/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lairmind-config-'));

/** A model entry in the shape of llm/models.yaml. */
const entry = (provider: string, model = 'm1'): string =>
  `{ provider: ${provider}, model: ${model}, capabilities: { json: true, streaming: true }, contextWindow: 128000, price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: 2026-01-01 }, latencyMs: 900, quality: 0.6 }`;

/** The problems of a config text as `path: message` lines (empty when it is valid). */
function problems(text: string, baseDir = dir): string[] {
  const r = checkConfigText(text, 'test.yaml', baseDir);
  return r.ok ? [] : r.issues.map((i) => formatIssues([i]));
}

describe('lairmind.config.yaml: bad files name the field', () => {
  it('a YAML syntax error is one issue with its line, column and an excerpt with a caret', () => {
    const p = problems('budgets:\n  room: { costUsd: { hard: 1 }\ntiers: [a, b\n');
    expect(p).toEqual(['YAML syntax error at line 3, column 1: Flow map in block collection must be sufficiently indented and end with a }\n  2 |   room: { costUsd: { hard: 1 }\n  3 | tiers: [a, b\n    | ^']);
    const dup = problems('cache:\n  enabled: true\n  enabled: false\n');
    expect(dup).toEqual(['YAML syntax error at line 3, column 3: Map keys must be unique\n  2 |   enabled: true\n  3 |   enabled: false\n    |   ^']);
  });

  it('an unknown key is an error at that key, with the near miss and the keys allowed there', () => {
    expect(problems('budget:\n  room: {}\n')).toEqual([expect.stringMatching(/^budget: unknown key; did you mean "budgets"\? \(allowed here: providers, models, routing, tiers, defaultTier, budgets, /)]);
    expect(problems('budgets:\n  room: { costUsd: { hard: 1, max: 2 } }\n')).toEqual(['budgets.room.costUsd.max: unknown key (allowed here: soft, hard)']);
    expect(problems('tiers:\n  gold: { layers: {}, budgets: {} }\n')).toEqual(['tiers.gold.budgets: unknown key; did you mean "budget"? (allowed here: layers, budget, alertDailyCostUsd)']);
  });

  it('an API key in the file is refused: keys come from the environment only', () => {
    expect(problems('providers:\n  openai: { apiKey: sk-123 }\n')).toEqual([expect.stringMatching(/^providers\.openai\.apiKey: unknown key: API keys are read from environment variables only: name the variable in apiKeyEnv/)]);
  });

  it('unknown providers: a provider without a known kind, a model or a routing rule naming one nobody configured', () => {
    expect(problems('providers:\n  mistral: {}\n')).toEqual([expect.stringMatching(/^providers\.mistral\.kind: required for a provider not named openai, anthropic, gemini/)]);
    expect(problems('providers:\n  local: {}\n')).toEqual([expect.stringMatching(/^providers\.local: local is built in/)]);
    expect(problems('providers:\n  openai: { kind: openia }\n')).toEqual(['providers.openai.kind: got "openia"; expected one of openai, anthropic, gemini; did you mean "openai"?']);
    expect(problems(`models:\n  entries:\n    - ${entry('openai')}\n    - ${entry('opnai')}\n`)).toEqual(['models.entries[1].provider: unknown provider "opnai" (known: openai, anthropic, gemini)']);
    // A provider the file configures under its own name is known.
    expect(problems(`providers:\n  proxy: { kind: openai, baseUrl: "http://127.0.0.1:9/v1" }\nmodels:\n  entries:\n    - ${entry('proxy')}\n`)).toEqual([]);
    expect(problems('routing:\n  constraints: { preferredProviders: [openai, antropic] }\n')).toEqual([expect.stringMatching(/^routing\.constraints\.preferredProviders\[1\]: unknown provider "antropic"/)]);
    expect(problems('routing: { strategy: pinned, pinned: "grok:grok-4" }\n')).toEqual([expect.stringMatching(/^routing\.pinned: unknown provider "grok"/)]);
  });

  it('models: a registry file with an unknown provider or a bad field, a pinned model it lacks, both forms at once', () => {
    writeFileSync(join(dir, 'reg-bad.yaml'), `models:\n  - ${entry('openai')}\n  - ${entry('acme')}\n`);
    expect(problems('models: { registry: reg-bad.yaml }\n')).toEqual([`models.registry: ${join(dir, 'reg-bad.yaml')}: models[1].provider: unknown provider "acme" (known: openai, anthropic, gemini)`]);
    writeFileSync(join(dir, 'reg-neg.yaml'), `models:\n  - ${entry('openai').replace('input: 0.15', 'input: -1')}\n`);
    expect(problems('models: { registry: reg-neg.yaml }\n')).toEqual([expect.stringMatching(/^models\.registry: .*reg-neg\.yaml: models\[0\]\.price\.input: got -1; expected a number of at least 0/)]);
    expect(problems('models: { registry: missing.yaml }\n')).toEqual([expect.stringMatching(/^models\.registry: .*missing\.yaml: cannot read/)]);
    expect(problems(`models:\n  registry: reg-bad.yaml\n  entries:\n    - ${entry('openai')}\n`)).toEqual(['models: give either registry (a file) or entries (inline), not both']);
    expect(problems(`models:\n  entries:\n    - ${entry('openai')}\nrouting: { strategy: pinned, pinned: "openai:gpt-5" }\n`)).toEqual(['routing.pinned: model openai:gpt-5 is not in the model registry (models.entries)']);
    expect(problems('routing: { strategy: pinned }\n')).toEqual(['routing.pinned: required when routing.strategy is pinned']);
    expect(problems(`models:\n  entries:\n    - ${entry('openai')}\n    - ${entry('openai')}\n`)).toEqual(['models.entries[1]: duplicate model openai:m1']);
  });

  it('a budget below zero, a soft level above its hard level', () => {
    expect(problems('budgets:\n  deployment:\n    monthly: { costUsd: { hard: -5 } }\n')).toEqual(['budgets.deployment.monthly.costUsd.hard: got -5; expected a number of at least 0']);
    expect(problems('budgets:\n  player: { tokens: { soft: -1 } }\n')).toEqual(['budgets.player.tokens.soft: got -1; expected an integer of at least 0']);
    expect(problems('budgets:\n  room: { costUsd: { soft: 2, hard: 1 } }\n')).toEqual(['budgets.room.costUsd.soft: soft (2) must not exceed hard (1)']);
    expect(problems('budgets:\n  alertFractions: [0.5, 0]\n')).toEqual(['budgets.alertFractions[1]: got 0; expected a number greater than 0 and at most 10']);
    expect(problems('tiers:\n  gold: { layers: { coordination: { hourly: -1 } } }\n')).toEqual([expect.stringMatching(/^tiers\.gold\.layers\.coordination\.hourly: got -1; expected (a number|an integer) of at least 0$/)]);
  });

  it('an undefined default tier, against the built-in tiers or the file\'s own', () => {
    expect(problems('defaultTier: gold\n')).toEqual(['defaultTier: unknown tier "gold" (tiers: free, premium, whale)']);
    expect(problems('tiers:\n  gold: { layers: {} }\ndefaultTier: premium\n')).toEqual(['defaultTier: unknown tier "premium" (tiers: gold)']);
    expect(problems('tiers:\n  gold: { layers: {} }\ndefaultTier: gold\n')).toEqual([]);
  });

  it('readLairmindConfig throws one ValidationError naming the file and every field', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'budgets:\n  call: { costUsd: { hard: -1 } }\ndefaultTier: nobody\ncache: { maxEntries: 0 }\n');
    let err: unknown;
    try {
      readLairmindConfig(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain(`invalid lairmind config ${file}: `);
    expect((err as Error).message).toContain('budgets.call.costUsd.hard: got -1; expected a number of at least 0');
    expect((err as Error).message).toContain('cache.maxEntries: got 0; expected an integer from 1 to 10000000');
  });
});

describe('loading: LAIRMIND_CONFIG, ./lairmind.config.yaml, the embedded default', () => {
  it('takes the file LAIRMIND_CONFIG names, resolving a relative registry against that file', () => {
    const sub = join(dir, 'deploy');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'models.yaml'), `models:\n  - ${entry('openai', 'only-model')}\n`);
    writeFileSync(join(sub, 'gateway.yaml'), 'models: { registry: models.yaml }\ndefaultTier: premium\n');
    const loaded = loadLairmindConfig({ LAIRMIND_CONFIG: join(sub, 'gateway.yaml') }, dir);
    expect(loaded.source).toBe(join(sub, 'gateway.yaml'));
    expect(loaded.registry.models.map((m) => m.id)).toEqual(['openai:only-model']);
    expect(loaded.config.defaultTier).toBe('premium');
  });

  it('a file LAIRMIND_CONFIG names must exist', () => {
    expect(() => loadLairmindConfig({ LAIRMIND_CONFIG: 'nope.yaml' }, dir)).toThrow(/invalid lairmind config .*nope\.yaml: cannot read: ENOENT/);
  });

  it('else ./lairmind.config.yaml when present, else the embedded default', () => {
    const cwd = join(dir, 'cwd');
    mkdirSync(cwd, { recursive: true });
    expect(loadLairmindConfig({}, cwd).source).toBe(EMBEDDED_DEFAULT);
    writeFileSync(join(cwd, 'lairmind.config.yaml'), 'routing: { strategy: cost }\n');
    const loaded = loadLairmindConfig({}, cwd);
    expect(loaded.source).toBe(join(cwd, 'lairmind.config.yaml'));
    expect(loaded.config.routing?.strategy).toBe('cost');
  });

  it('an empty file is the default configuration', () => {
    const r = checkConfigText('# nothing set\n', 'empty.yaml', dir);
    expect(r.ok && r.loaded.config).toEqual({});
  });

  it('a file over the size bound is refused without being parsed', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(1 << 20)}\n`);
    const r = checkConfigFile(big);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]?.message).toMatch(/at most 1048576/);
  });
});

describe('GatewayOptions from the config and the environment', () => {
  const envs: Record<string, string>[] = [
    {},
    { OPENAI_API_KEY: 'k1' },
    { OPENAI_API_KEY: 'k1', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', ANTHROPIC_API_KEY: ' k2 ', GOOGLE_API_KEY: 'k3' },
    { GEMINI_API_KEY: 'k4', GOOGLE_API_KEY: 'k5', GEMINI_BASE_URL: 'http://127.0.0.1:9', ANTHROPIC_API_KEY: '   ' },
  ];

  it('the embedded default reproduces today: providers as providersFromEnv reads them, the built-in registry and tiers, no budgets', () => {
    for (const env of envs) expect(gatewaySetup(defaultConfig(), env).options.providers).toEqual(providersFromEnv(env));
    const { options } = gatewaySetup(defaultConfig(), {});
    expect(options.registry).toBe(defaultModelRegistry());
    expect(Object.keys(options).sort()).toEqual(['providers', 'registry']);
    const gw = new LlmGateway(options);
    expect(gw.tiers.tiers).toBe(DEFAULT_TIERS);
    expect(gw.accounting.budgets.config).toEqual({});
  });

  it('keys come from the named variables; a base URL variable overrides the file; disabled, unselected and keyless providers are left out', () => {
    const loaded = readLairmindConfig(writeConfig('env.yaml', [
      'providers:',
      '  openai: { baseUrl: "https://file.example/v1" }',
      '  anthropic: { apiKeyEnv: STUDIO_CLAUDE_KEY, baseUrl: "https://claude.example" }',
      '  gemini: { enabled: false }',
      '  proxy: { kind: openai, baseUrl: "https://proxy.example/v1" }',
    ]));
    const env = { OPENAI_API_KEY: 'sk-open', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', ANTHROPIC_API_KEY: 'ignored', STUDIO_CLAUDE_KEY: 'sk-claude', GEMINI_API_KEY: 'sk-gem' };
    const s = gatewaySetup(loaded, env);
    expect(s.options.providers).toEqual({
      openai: { kind: 'openai', apiKey: 'sk-open', baseURL: 'http://127.0.0.1:1/v1' },
      anthropic: { kind: 'anthropic', apiKey: 'sk-claude', baseURL: 'https://claude.example' },
    });
    expect(s.providers.map((p) => [p.name, p.status, p.baseUrlFrom])).toEqual([
      ['openai', 'on', 'env'], ['anthropic', 'on', 'file'], ['gemini', 'disabled', undefined], ['proxy', 'no key', 'file'],
    ]);
    expect(s.providers.find((p) => p.name === 'proxy')?.keyEnv).toEqual(['PROXY_API_KEY']);
    expect(JSON.stringify(s.providers)).not.toMatch(/sk-/);
    const only = gatewaySetup(loaded, { ...env, PROXY_API_KEY: 'sk-proxy' }, { onlyProviders: ['proxy'] });
    expect(Object.keys(only.options.providers ?? {})).toEqual(['proxy']);
    expect(only.providers.find((p) => p.name === 'openai')?.status).toBe('not selected');
  });

  it('a variable that is not a URL is named, its value never echoed', () => {
    expect(() => gatewaySetup(defaultConfig(), { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'not a url secret-123' })).toThrow(/invalid environment: OPENAI_BASE_URL: expected an http/);
    let message = '';
    try {
      gatewaySetup(defaultConfig(), { LAIRMIND_ALERT_WEBHOOK_URL: 'ftp://secret-456' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/LAIRMIND_ALERT_WEBHOOK_URL: expected an http/);
    expect(message).not.toContain('secret-456');
  });

  it('the alert webhook: LAIRMIND_ALERT_WEBHOOK_URL overrides alerts.webhookUrl', () => {
    const loaded = readLairmindConfig(writeConfig('hook.yaml', ['alerts: { webhookUrl: "https://file.example/hook" }']));
    expect(gatewaySetup(loaded, {}).alertWebhookUrl).toBe('https://file.example/hook');
    expect(gatewaySetup(loaded, { LAIRMIND_ALERT_WEBHOOK_URL: 'https://env.example/hook' }).alertWebhookUrl).toBe('https://env.example/hook');
  });

  it('every section reaches the gateway', () => {
    const loaded = readLairmindConfig(writeConfig('all.yaml', [
      'providers: { openai: {} }',
      `models:\n  entries:\n    - ${entry('openai', 'a')}\n    - ${entry('openai', 'b')}`,
      'routing: { strategy: pinned, pinned: "openai:b", maxFallbacks: 0 }',
      'tiers:\n  gold: { layers: { coordination: { hourly: 1 } }, budget: { costUsd: { hard: 0.5 } } }\n  lead: { layers: { "*": { daily: 0 } } }',
      'defaultTier: lead',
      'budgets: { room: { tokens: { hard: 5000 } }, deployment: { daily: { costUsd: { hard: 10 } } }, alertFractions: [0.5] }',
      'cache: { enabled: false, maxEntries: 50 }',
      'presets: { tactics: { maxTokens: 321, cacheTtlMs: 0 } }',
      'retry: { maxRetries: 0 }',
      'breaker: { cooldownMs: 1234 }',
    ]));
    const { options } = gatewaySetup(loaded, { OPENAI_API_KEY: 'k' });
    const gw = new LlmGateway(options);
    expect(gw.models.map((m) => m.id)).toEqual(['openai:a', 'openai:b']);
    expect(gw.router.route({ inputTokens: 10, maxTokens: 10, needsJson: true, needsStreaming: false }, options.routing).chain.map((c) => c.id)).toEqual(['openai:b']);
    expect(Object.keys(gw.tiers.tiers)).toEqual(['gold', 'lead']);
    expect(gw.tiers.defaultTier).toBe('lead');
    expect(gw.accounting.budgets.config).toEqual({ room: { tokens: { hard: 5000 } }, deployment: { daily: { costUsd: { hard: 10 } } }, alertFractions: [0.5] });
    expect(gw.breakers.policy.cooldownMs).toBe(1234);
    expect(options).toMatchObject({ cache: { enabled: false, maxEntries: 50 }, presets: { tactics: { maxTokens: 321, cacheTtlMs: 0 } }, retry: { maxRetries: 0 }, defaultTier: 'lead' });
  });
});

describe('for editors and users', () => {
  it('the committed JSON Schema is the one generated from the zod schema (npm run config:schema)', () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')).toBe(configJsonSchema());
    const schema = JSON.parse(configJsonSchema()) as { additionalProperties: boolean; properties: Record<string, unknown> };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(['providers', 'models', 'routing', 'tiers', 'defaultTier', 'budgets', 'cache', 'presets', 'retry', 'breaker', 'queue', 'alerts']);
  });

  it('the commented example validates and sets every section', () => {
    const r = checkConfigFile('lairmind.config.example.yaml');
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(Object.keys(r.loaded.config).sort()).toEqual(['alerts', 'breaker', 'budgets', 'cache', 'defaultTier', 'models', 'presets', 'providers', 'queue', 'retry', 'routing', 'tiers']);
    expect(readFileSync('lairmind.config.example.yaml', 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/lairmind\.config\.schema\.json/);
  });

  it("the README's example validates", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### Configuring the LLM gateway'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toContain('providers:');
    const r = checkConfigText(yaml as string, 'README.md', process.cwd());
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(r.loaded.config.providers?.proxy).toEqual({ kind: 'openai', baseUrl: 'https://llm-proxy.example.com/v1', apiKeyEnv: 'PROXY_KEY' });
  });
});

function writeConfig(name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
