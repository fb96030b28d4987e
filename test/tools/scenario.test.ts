import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { localTactician, parseScenario, PlanSchema } from '../../actors/index.ts';
import type { BattleContext, ScenarioInput } from '../../actors/index.ts';
import { LlmGateway } from '../../llm/index.ts';
import { CloudTactics } from '../../minds/index.ts';
import { loadScenarioFile } from '../../server/index.ts';
import { cli } from './runCli.ts';
import { headlessMinds } from '../../tools/scenario/headlessMinds.ts';
import { runScenario } from '../../tools/scenario/runScenario.ts';
import { promptText, startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { gatewayFor } from '../llm/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'lairmind-scenario-'));

afterEach(() => {
  process.exitCode = 0;
});

describe('lairmind scenario validate', () => {
  it('exits 0 for valid files', async () => {
    const r = await cli('scenario', 'validate', 'scenarios/wolf-ambush.yaml', 'scenarios/village.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toContain('scenarios/wolf-ambush.yaml: ok (wolf-ambush)');
  });

  it('exits 1 and lists every error with its path', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nspawns:\n  - pack: { species: wolf, size: 30, at: { x: 0, y: 0 } }\n  - pack: { species: dragon, at: { x: 0, y: 0 } }\nllm: { tier: premium, budgetUsd: -2 }\n');
    const json = join(dir, 'bad.json');
    writeFileSync(json, '{ "name": "x", ');
    const r = await cli('scenario', 'validate', bad, json, 'scenarios/village.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain([
      `${bad}: 3 errors`,
      '  spawns[0].pack.size: got 30; expected an integer from 1 to 24',
      '  spawns[1].pack.species: got "dragon"; expected one of wolf, boar, goblin, bandit, lizardfolk, scorpion, troll, yeti, crab, spider, skeleton',
      '  llm.budgetUsd: got -2; expected a number from 0 to 1000',
    ].join('\n'));
    expect(r.err).toContain(`${json}: 1 error\n  JSON syntax error at line 1, column 16: `);
    expect(r.out).toContain('village.yaml: ok');
  });

  it('teaches: near misses, required fields, one error per mistake, a YAML error once with its excerpt', async () => {
    const typos = join(dir, 'typos.yaml');
    writeFileSync(typos, [
      'wrold: { seed: 3 }',
      'spawns:',
      '  - pack: { specie: wolf, at: { x: 0, y: 0 } }',
      '  - pack: { species: Wolf, at: { x: 0, y: 0 } }',
      '  - monster: { at: { x: 0, y: 0 } }',
      '',
    ].join('\n'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'name: demo\nspawns:\n  - pack:\n      species: wolf\n      at: { x: 0, y: 0\n  - pack: [\n');
    const r = await cli('scenario', 'validate', typos, broken);
    expect(r.code).toBe(1);
    expect(r.err).toBe([
      `${typos}: 4 errors`,
      '  wrold: unknown key; did you mean "world"? (allowed here: $schema, name, description, world, spawns, npcs, players, triggers, llm, outcome)',
      '  spawns[0].pack.specie: unknown key; did you mean "species"? (allowed here: id, species, size, count, at, region, lairRoom, spread, faction, traits, tuning)',
      '  spawns[1].pack.species: got "Wolf"; expected one of wolf, boar, goblin, bandit, lizardfolk, scorpion, troll, yeti, crab, spider, skeleton; did you mean "wolf"?',
      '  spawns[2].monster.species: required; expected one of wolf, boar, goblin, bandit, lizardfolk, scorpion, troll, yeti, crab, spider, skeleton',
      `${broken}: 1 error`,
      '  YAML syntax error at line 6, column 3: Flow map in block collection must be sufficiently indented and end with a }',
      '    5 |       at: { x: 0, y: 0',
      '    6 |   - pack: [',
      '      |   ^',
    ].join('\n'));
    expect(r.err).not.toMatch(/\bname\b.*required/);
  });

  it('scenario run refuses a bad file with the same listing, and runs nothing', async () => {
    const typo = join(dir, 'run-typo.yaml');
    writeFileSync(typo, 'spawns:\n  - pack: { species: wolf, at: { x: 0, y: 0 } }\nworld: { biome: forst }\n');
    const r = await cli('scenario', 'run', typo, '--ticks', '5', '--minds', 'none');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`lairmind: ${typo}: 1 error\n  world.biome: got "forst"; expected one of deepWater, shallowWater, beach, grassland, forest, swamp, desert, hills, mountains, snow; did you mean "forest"?`);
    expect(r.out).toBe('');
  });
});

describe('headless scenario runs', () => {
  it('are deterministic: the same scenario and seed give the same final hash and report', async () => {
    const scenario = loadScenarioFile('scenarios/goblin-lair.yaml');
    const a = await runScenario(scenario, { ticks: 300, minds: headlessMinds(undefined, new LlmGateway({ providers: {} })) });
    const b = await runScenario(scenario, { ticks: 300, minds: headlessMinds(undefined, new LlmGateway({ providers: {} })) });
    expect(a.report.finalHash).toBe(b.report.finalHash);
    expect(a.report.ticks).toBe(b.report.ticks);
    expect(a.report.deaths).toEqual(b.report.deaths);
    expect(a.report.deaths.total).toBeGreaterThan(0);
    const c = await runScenario(scenario, { ticks: 300, seed: 'other', minds: headlessMinds(undefined, new LlmGateway({ providers: {} })) });
    expect(c.report.finalHash).not.toBe(a.report.finalHash);
  });

  it('run from the CLI: summary, JSON report, recorded log; the replay matches the final hash', async () => {
    const log = join(dir, 'wolf.log.json');
    const out = join(dir, 'wolf.report.json');
    const r = await cli('scenario', 'run', 'scenarios/wolf-ambush.yaml', '--ticks', '400', '--minds', 'none', '--record', log, '--report', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^scenario wolf-ambush \(seed wolf-ambush\): \d+ ticks/m);
    for (const k of ['outcome:', 'deaths:', 'damage dealt:', 'plans:', 'llm:', 'tick timing:']) expect(r.out).toContain(k);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { format: string; finalHash: string; plans: { total: number }; timing: { stepMs: { p99: number } } };
    expect(report).toMatchObject({ format: 'lairmind-scenario-report', finalHash: expect.stringMatching(/^[0-9a-f]+$/) });
    expect(report.plans.total).toBeGreaterThan(0);
    const replayed = await cli('scenario', 'run', 'scenarios/wolf-ambush.yaml', '--ticks', '400', '--replay', log);
    expect(replayed.code).toBe(0);
    expect(replayed.out).toContain(`final state hash: ${report.finalHash}`);
    expect(replayed.out).toContain('replay: matches the recorded run');

    const tampered = JSON.parse(readFileSync(log, 'utf8')) as { entries: { tick: number; reply?: { ok: boolean } }[] };
    const k = tampered.entries.findIndex((e) => e.reply?.ok === true);
    tampered.entries.splice(k, 1);
    writeFileSync(log, JSON.stringify(tampered));
    const differs = await cli('scenario', 'run', 'scenarios/wolf-ambush.yaml', '--ticks', '400', '--replay', log);
    expect(differs.code).toBe(1);
    expect(differs.out).toContain('replay: DIFFERS from the recorded run');
  });

  it('rejects bad flags with a clear error', async () => {
    const r = await cli('scenario', 'run', 'scenarios/wolf-ambush.yaml', '--ticks', 'many');
    expect(r.code).toBe(1);
  });
});

describe('replay of a run with cloud tactics through a fake provider', () => {
  let openai: FakeProvider;
  beforeAll(async () => {
    openai = await startFake('openai', (req) => {
      const user = promptText('openai', req.body).user;
      const json = /CONTEXT (\{.*\})\n/.exec(user)?.[1] ?? '{}';
      return { type: 'ok', text: JSON.stringify(localTactician(JSON.parse(json) as BattleContext)), delayMs: 5 };
    });
  });
  afterAll(async () => openai.close());

  it('records every plan reply and replays to the identical final state hash', async () => {
    const input: ScenarioInput = {
      name: 'cloud-ambush',
      world: { seed: 'cloud', size: 128, biome: 'forest' },
      spawns: [{ pack: { id: 'wolves', species: 'wolf', size: 4, at: { x: 8, y: 0 }, spread: 2 } }],
      players: [{ name: 'hero', at: { x: 0, y: 0 }, hp: 400, damage: 8 }],
      llm: { tier: 'whale', budgetUsd: 1 },
      outcome: { win: [{ packDefeated: 'wolves' }], lose: [{ playersDead: true }] },
    };
    const scenario = parseScenario(input);
    const { gw } = gatewayFor([openai], { retry: { maxRetries: 0 }, cache: { enabled: false } });
    gw.registerLocal('tactics', ({ input: ctx }) => localTactician(ctx as BattleContext));
    const run = await runScenario(scenario, { ticks: 400, minds: { plan: new CloudTactics({ gateway: gw, schema: PlanSchema }) }, llm: gw });
    expect(openai.requests.length).toBeGreaterThan(0);
    expect(run.report.plans.bySource.openai).toBeGreaterThan(0);
    expect(run.report.llm.calls).toBeGreaterThan(0);
    const planReplies = run.log!.entries.filter((e) => 'reply' in e && e.reply.ok && typeof (e.reply as { value?: { source?: unknown } }).value?.source === 'object');
    expect(planReplies.length).toBe(run.report.plans.total);

    const saved = JSON.parse(JSON.stringify(run.log)) as typeof run.log & object;
    const again = await runScenario(scenario, { ticks: 0, replay: saved });
    expect(again.report.finalHash).toBe(run.report.finalHash);
    expect(again.report.replay).toEqual({ expectedHash: run.report.finalHash, recordedTicks: run.report.ticks, matches: true });
    expect(again.report.plans.bySource.openai).toBe(run.report.plans.bySource.openai);
  });
});
