import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { localTactician } from '../../actors/index.ts';
import type { BattleContext } from '../../actors/index.ts';
import { cli } from './runCli.ts';
import type { RunReport } from '../../tools/scenario/runReport.ts';
import { promptText, startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { KEYS } from '../llm/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'lairmind-scenario-llm-'));

/** A scenario whose wolves engage the hero at once; `providers` is its llm.providers. */
function scenarioFile(name: string, providers: string, tier = 'whale'): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, [
    `name: ${name}`,
    'world: { seed: cloud, size: 128, biome: forest }',
    'spawns:',
    '  - pack: { id: wolves, species: wolf, size: 4, at: { x: 8, y: 0 }, spread: 2 }',
    'players:',
    '  - { name: hero, at: { x: 0, y: 0 }, hp: 400, damage: 8 }',
    `llm: { tier: ${tier}, budgetUsd: 1, providers: ${providers} }`,
    'outcome: { win: [{ packDefeated: wolves }], lose: [{ playersDead: true }] }',
  ].join('\n') + '\n');
  return file;
}

/** The gateway's config: only openai, one model, no retries or cache (each ask is one attempt on the wire). */
const config = join(dir, 'lairmind.config.yaml');
writeFileSync(config, [
  'providers: { openai: {} }',
  'models:',
  '  entries:',
  '    - { provider: openai, model: gpt-4o-mini, capabilities: { json: true, streaming: true }, contextWindow: 128000, price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: 2026-01-01 }, latencyMs: 900, quality: 0.6 }',
  'retry: { maxRetries: 0 }',
  'cache: { enabled: false }',
  'breaker: { failureThreshold: 1000, minCalls: 1000 }',
].join('\n') + '\n');

async function run(file: string, ...flags: string[]): Promise<{ code: number; out: string; err: string; report: RunReport }> {
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const r = await cli('scenario', 'run', file, '--ticks', '400', '--minds', 'none', '--report', out, ...flags);
  if (r.code !== 0) throw new Error(`scenario run failed: ${r.err}`);
  return { ...r, report: JSON.parse(readFileSync(out, 'utf8')) as RunReport };
}

let openai: FakeProvider;
beforeAll(async () => {
  openai = await startFake('openai');
});
afterAll(async () => openai.close());
beforeEach(() => {
  openai.requests.length = 0;
  vi.stubEnv('LAIRMIND_CONFIG', config);
  vi.stubEnv('OPENAI_API_KEY', KEYS.openai);
  vi.stubEnv('OPENAI_BASE_URL', openai.baseURL);
});
afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = 0;
});

/** The fake answers each ask with the tactician's own plan for the context it was sent. */
const answerWithPlans = (): void =>
  openai.respond((req) => {
    const json = /CONTEXT (\{.*\})\n/.exec(promptText('openai', req.body).user)?.[1] ?? '{}';
    return { type: 'ok', text: JSON.stringify(localTactician(JSON.parse(json) as BattleContext)), usage: { input: 900, output: 120 } };
  });

describe('scenario run --llm: the gateway from the config file and the environment', () => {
  it('a provider failing every attempt: the report counts the asks, the failed attempts as errors, and the fallbacks with their reasons', async () => {
    openai.respond(() => ({ type: 'error', status: 500, message: 'upstream down' }));
    const { out, report } = await run(scenarioFile('failing', '[openai, local]'), '--llm');
    const l = report.llm;
    expect(openai.requests.length).toBeGreaterThan(0);
    expect(l.mode).toBe('live');
    expect(l.config).toBe(config);
    expect(l.providers).toEqual({ openai: 'on' });
    expect(l.cloud.asked).toBeGreaterThan(0);
    expect(l.cloud.accepted).toBe(0);
    expect(l.attempts).toBe(openai.requests.length);
    expect(l.errors).toBe(openai.requests.length);
    expect(l.errorsByKind).toEqual({ 'openai:server': openai.requests.length });
    expect(l.fallbacks.total).toBe(l.cloud.local);
    expect(l.fallbacks.total).toBeGreaterThan(0);
    expect(l.fallbacks.reasons).toEqual({ 'openai:gpt-4o-mini: server': l.fallbacks.total });
    expect(report.plans.bySource.openai).toBeUndefined();
    expect(out).toMatch(new RegExp(`^cloud: ${l.cloud.asked} asked, 0 accepted, .*; ${l.attempts} attempts sent, ${l.errors} errors \\(openai:server ${l.errors}\\)$`, 'm'));
    expect(out).toMatch(/^fallbacks: \d+ answered by the local tactician \(openai:gpt-4o-mini: server \d+\)$/m);
    expect(out).not.toMatch(/ 0 errors/);
  });

  it('a provider that answers: cloud plans accepted, spend per provider and model', async () => {
    answerWithPlans();
    const { out, report } = await run(scenarioFile('answering', '[openai, local]'), '--llm');
    const l = report.llm;
    expect(openai.requests.length).toBeGreaterThan(0);
    expect(l.cloud.asked).toBeGreaterThan(0);
    expect(l.cloud.accepted).toBeGreaterThan(0);
    expect(l.cloud.accepted + l.cloud.rejected + l.cloud.stale + l.cloud.failed + l.cloud.local).toBe(l.cloud.asked);
    expect(l.attempts).toBe(openai.requests.length);
    expect(l.errors).toBe(0);
    expect(report.plans.bySource.openai).toBeGreaterThan(0);
    // 900 input and 120 output tokens per call at $0.15 / $0.60 per 1M.
    const perCall = (900 * 0.15 + 120 * 0.6) / 1e6;
    expect(l.byProvider.openai).toBeCloseTo(perCall * openai.requests.length, 9);
    expect(l.byModel['openai:gpt-4o-mini']).toBeCloseTo(perCall * openai.requests.length, 9);
    expect(l.costUsd).toBeGreaterThan(0);
    expect(out).toMatch(/^spend: \$0\.0\d+, \d+ input and \d+ output tokens; by provider: openai \$0\.0\d+; by model: openai:gpt-4o-mini \$0\.0\d+$/m);
  });

  it("honours the scenario's llm.providers: `local` alone is the tactician only, with the key set", async () => {
    answerWithPlans();
    const { report } = await run(scenarioFile('local-only', '[local]'), '--llm');
    expect(openai.requests).toHaveLength(0);
    expect(report.llm.providers).toEqual({ openai: 'not selected' });
    expect(report.llm.cloud.asked).toBeGreaterThan(0);
    expect(report.llm.fallbacks).toEqual({ total: report.llm.cloud.local, reasons: { 'no cloud provider configured': report.llm.cloud.local } });
  });

  it('without --llm a run stays offline, keys or not', async () => {
    answerWithPlans();
    const { out, report } = await run(scenarioFile('offline', '[openai, local]'));
    expect(openai.requests).toHaveLength(0);
    expect(report.llm.mode).toBe('offline');
    expect(report.llm.attempts).toBe(0);
    expect(out).toContain('llm: offline (the local tactician answers)');
  });

  it("a tier the config does not define stops the run before it starts", async () => {
    const r = await cli('scenario', 'run', scenarioFile('gold', '[openai]', 'gold'), '--ticks', '10', '--minds', 'none', '--llm');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`scenario gold: llm.tier 'gold' is not a tier of the gateway (${config}: free, premium, whale)`);
    expect(openai.requests).toHaveLength(0);
  });

  it('a bad config file stops the run with the reason; --llm with --replay is refused', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'budgets: { room: { costUsd: { hard: -1 } } }\n');
    vi.stubEnv('LAIRMIND_CONFIG', bad);
    const file = scenarioFile('bad-config', '[openai]');
    const r = await cli('scenario', 'run', file, '--ticks', '10', '--minds', 'none', '--llm');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`invalid lairmind config ${bad}: budgets.room.costUsd.hard: got -1; expected a number of at least 0`);
    const both = await cli('scenario', 'run', file, '--ticks', '10', '--llm', '--replay', join(dir, 'any.json'));
    expect(both.code).toBe(1);
    expect(both.err).toContain('--llm and --replay do not go together');
  });
});
