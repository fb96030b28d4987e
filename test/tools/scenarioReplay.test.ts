import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventLog } from '../../actors/index.ts';
import { loadScenarioFile } from '../../server/index.ts';
import { runScenario } from '../../tools/scenario/runScenario.ts';
import { cli } from './runCli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lairmind-replay-'));
const WOLF = 'scenarios/wolf-ambush.yaml';
const TICKS = 300;

interface SavedLog {
  setup: Record<string, unknown>;
  entries: { tick: number; reply?: { ok: boolean; value?: { source?: { provider: string } } } }[];
  finalHash: string;
}

const readLog = (file: string): SavedLog => JSON.parse(readFileSync(file, 'utf8')) as SavedLog;

/** Write `log` changed by `edit` to a new file in the temp folder. */
function variant(log: string, name: string, edit: (l: SavedLog) => void): string {
  const l = readLog(log);
  edit(l);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(l));
  return file;
}

afterEach(() => {
  process.exitCode = 0;
});

describe('scenario replay: a replay runs the recording and says so, or refuses', () => {
  const log = join(dir, 'wolf.json');
  let finalHash = '';

  beforeAll(async () => {
    const r = await cli('scenario', 'run', WOLF, '--ticks', String(TICKS), '--minds', 'none', '--record', log);
    expect(r.code).toBe(0);
    finalHash = readLog(log).finalHash;
    expect(finalHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('records the scenario, its content hash, the seed and the step limit in the setup', () => {
    const setup = readLog(log).setup;
    expect(setup).toMatchObject({ kind: 'lairmind-scenario-run', seed: 'wolf-ambush', ticks: TICKS, scenarioHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect((setup.scenario as { name: string }).name).toBe('wolf-ambush');
  });

  it('`scenario replay LOG` reads everything from the log and matches', async () => {
    const r = await cli('scenario', 'replay', log);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^scenario wolf-ambush \(seed wolf-ambush\): 300 ticks/m);
    expect(r.out).toContain(`final state hash: ${finalHash}`);
    expect(r.out).toContain('replay: matches the recorded run');
  });

  it('`scenario run FILE --replay LOG` accepts the recorded file and agreeing --ticks / --seed, or none of them', async () => {
    for (const extra of [[], ['--ticks', String(TICKS)], ['--seed', 'wolf-ambush'], ['--ticks', String(TICKS), '--seed', 'wolf-ambush']]) {
      const r = await cli('scenario', 'run', WOLF, '--replay', log, ...extra);
      expect(r.err, extra.join(' ')).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`final state hash: ${finalHash}`);
      expect(r.out).toContain('replay: matches the recorded run');
    }
  });

  it('refuses another scenario file, naming both, and every contradicting flag; nothing runs', async () => {
    const r = await cli('scenario', 'run', 'scenarios/village.yaml', '--ticks', '5', '--seed', '7', '--replay', log);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('nothing was run');
    expect(r.err).toContain("scenarios/village.yaml is scenario 'village', not the recorded scenario 'wolf-ambush'");
    expect(r.err).toContain('--ticks 5 contradicts the recording (300 ticks)');
    expect(r.err).toContain('--seed 7 contradicts the recording (seed "wolf-ambush")');
  });

  it('refuses a contradicting --ticks or --seed alone', async () => {
    const ticks = await cli('scenario', 'run', WOLF, '--ticks', '2000', '--replay', log);
    expect(ticks.code).toBe(1);
    expect(ticks.out).toBe('');
    expect(ticks.err).toContain('--ticks 2000 contradicts the recording (300 ticks)');
    expect(ticks.err).not.toContain('--seed');
    const seed = await cli('scenario', 'run', WOLF, '--seed', 'other', '--replay', log);
    expect(seed.code).toBe(1);
    expect(seed.out).toBe('');
    expect(seed.err).toContain('--seed "other" contradicts the recording (seed "wolf-ambush")');
    expect(seed.err).not.toContain('--ticks');
  });

  it('refuses a file with the recorded name whose content differs', async () => {
    const edited = join(dir, 'wolf-ambush.yaml');
    writeFileSync(edited, readFileSync(WOLF, 'utf8').replace('damage: 18', 'damage: 19'));
    const r = await cli('scenario', 'run', edited, '--replay', log);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`${edited} is not the recorded scenario 'wolf-ambush': its content differs \\(hash [0-9a-f]{16}, recorded [0-9a-f]{16}\\)`));
  });

  it('--until stops at that tick, prints the state there, and does not claim a match', async () => {
    // The state at tick 120 of the replay is the final state of the same run recorded for 120 ticks.
    const short = join(dir, 'wolf-120.json');
    expect((await cli('scenario', 'run', WOLF, '--ticks', '120', '--minds', 'none', '--record', short)).code).toBe(0);
    const at120 = readLog(short).finalHash;
    expect(at120).not.toBe(finalHash);

    const r = await cli('scenario', 'replay', log, '--until', '120');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^scenario wolf-ambush \(seed wolf-ambush\): 120 ticks/m);
    expect(r.out).toContain('replay: stopped at tick 120 of 300 (--until); the final state hash was NOT compared');
    expect(r.out).toMatch(new RegExp(`^state at tick 120: hash ${at120}; actors: \\d+ spawned, \\d+ alive \\(.*player 1.*\\)$`, 'm'));
    expect(r.out).not.toContain('matches');
    expect(r.out).not.toContain('DIFFERS');
    expect(r.out).not.toMatch(/^final state hash:/m);

    const past = await cli('scenario', 'replay', log, '--until', '301');
    expect(past.code).toBe(1);
    expect(past.err).toContain('--until 301 is past the end of the recording (300 ticks)');
  });

  it('a recording with one reply value changed replays to a different hash: DIFFERS, exit status 1', async () => {
    // A plan the gateway answered locally leaves the tactician's plan standing; claiming a provider made it applies it.
    const tampered = variant(log, 'tampered.json', (l) => {
      const plan = l.entries.find((e) => e.reply?.ok && e.reply.value?.source?.provider === 'local');
      expect(plan).toBeDefined();
      plan!.reply!.value!.source!.provider = 'openai';
    });
    for (const args of [['replay', tampered], ['run', WOLF, '--replay', tampered]]) {
      const r = await cli('scenario', ...args);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`replay: DIFFERS from the recorded run`);
      expect(r.out).toContain(`recorded ${finalHash} after 300 ticks`);
      expect(r.out).not.toContain(`final state hash: ${finalHash}`);
    }
  });

  it('refuses a log whose stored scenario was edited, and names a missing scenario', async () => {
    const edited = variant(log, 'edited-scenario.json', (l) => {
      (l.setup.scenario as { players: { damage: number }[] }).players[0]!.damage = 99;
    });
    const r = await cli('scenario', 'replay', edited);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/edited-scenario\.json: event log: setup\.scenario hashes to [0-9a-f]{16}, not to the recorded setup\.scenarioHash [0-9a-f]{16}/);
    const missing = variant(log, 'no-scenario.json', (l) => {
      delete l.setup.scenario;
    });
    const m = await cli('scenario', 'replay', missing);
    expect(m.code).toBe(1);
    expect(m.err).toContain('setup.scenario is missing');
  });

  it('reads logs recorded before the setup kept the scenario hash and the step limit', async () => {
    const old = variant(log, 'old.json', (l) => {
      delete l.setup.scenarioHash;
      delete l.setup.ticks;
    });
    const r = await cli('scenario', 'run', WOLF, '--ticks', String(TICKS), '--replay', old);
    expect(r.code).toBe(0);
    expect(r.out).toContain('replay: matches the recorded run');
  });

  it('runScenario refuses to replay a log under another scenario', async () => {
    const saved = readLog(log) as unknown as EventLog;
    await expect(runScenario(loadScenarioFile('scenarios/village.yaml'), { ticks: 1, replay: saved })).rejects.toThrow(/scenario 'village' \(hash [0-9a-f]+\) is not the recorded scenario 'wolf-ambush'/);
  });
});

describe('replay of a run a win condition ended early', () => {
  const file = join(dir, 'quick-win.yaml');
  const log = join(dir, 'quick-win.json');

  beforeAll(async () => {
    writeFileSync(file, [
      'name: quick-win',
      'world: { seed: quick, size: 128, biome: forest }',
      'spawns:',
      '  - pack: { id: wolves, species: wolf, size: 2, at: { x: 4, y: 0 }, spread: 1, traits: { aggression: 1 } }',
      'players:',
      '  - { name: hero, at: { x: 0, y: 0 }, hp: 2000, damage: 60 }',
      'llm: { tier: premium }',
      'outcome: { win: [{ packDefeated: wolves }], lose: [{ playersDead: true }] }',
      '',
    ].join('\n'));
    const r = await cli('scenario', 'run', file, '--ticks', '1000', '--minds', 'none', '--record', log);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^outcome: win at tick \d+/m);
  });

  it('accepts any --ticks that would end at the same tick, and refuses fewer', async () => {
    const ran = (JSON.parse(readFileSync(log, 'utf8')) as { ticks: number }).ticks;
    expect(ran).toBeLessThan(1000);
    for (const t of [ran, 1000, 5000]) {
      const r = await cli('scenario', 'run', file, '--ticks', String(t), '--replay', log);
      expect(r.code, `--ticks ${t}`).toBe(0);
      expect(r.out).toContain('replay: matches the recorded run');
    }
    const fewer = await cli('scenario', 'run', file, '--ticks', String(ran - 1), '--replay', log);
    expect(fewer.code).toBe(1);
    expect(fewer.err).toContain(`--ticks ${ran - 1} contradicts the recording (a win or lose condition ended it at tick ${ran} of --ticks 1000; give ${ran} or more)`);
  });
});
