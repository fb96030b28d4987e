import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, parseScenario } from '../../../actors/index.ts';
import { formatIssue } from '../../../shared/index.ts';
import { checkScenarioFile, DEFAULT_SCENARIOS_DIR, ScenarioLibrary } from '../../../server/index.ts';
import { SCENARIO_SCHEMA_FILE, scenarioJsonSchema } from '../../../tools/scenario/scenarioJsonSchema.ts';

const base = () => ({
  name: 'test',
  spawns: [
    { pack: { id: 'a', species: 'wolf', size: 3, at: { x: 0, y: 0 } } },
    { monster: { id: 'boss', species: 'troll', at: { x: 5, y: 5 } } },
    { pack: { id: 'c', species: 'goblin', size: 4, at: { x: 9, y: 0 } } },
  ],
  players: [{ name: 'p', at: { x: -5, y: 0 } }],
});

const dir = mkdtempSync(join(tmpdir(), 'lairmind-scenario-errors-'));

/** Every error as `path: message`. */
function errors(value: unknown): string[] {
  const r = checkScenario(value);
  return r.ok ? [] : r.issues.map(formatIssue);
}

describe('scenario definition', () => {
  it('accepts a small scenario and fills the defaults', () => {
    const s = parseScenario(base());
    expect(s.world).toMatchObject({ seed: 'scenario', size: 256, monsterDensity: 0, lair: false });
    expect(s.llm.tier).toBe('free');
    expect(s.spawns[0]!.pack).toMatchObject({ spread: 3, faction: 'wild', count: 1 });
  });

  it('names the path, the bad value and the range of a number out of range', () => {
    const s = base();
    s.spawns[2]!.pack!.size = 30;
    expect(errors(s)).toEqual(['spawns[2].pack.size: got 30; expected an integer from 1 to 24']);
    expect(() => parseScenario(s)).toThrow('invalid scenario: spawns[2].pack.size: got 30; expected an integer from 1 to 24');
  });

  it('lists every error of a broken file at once', () => {
    const s = {
      name: '',
      world: { size: 10, biome: 'lava' },
      spawns: [{ pack: { species: 'dragon', at: { x: 0, y: 0 } } }, { pack: { species: 'wolf', at: { x: 'a', y: 0 } } }],
      llm: { budgetUsd: -1 },
      surprise: true,
    };
    const e = errors(s);
    expect(e).toEqual([
      'name: got "" (empty); expected text of 1 to 64 characters',
      'world.size: got 10; expected an integer from 32 to 8192',
      'world.biome: got "lava"; expected one of deepWater, shallowWater, beach, grassland, forest, swamp, desert, hills, mountains, snow',
      'spawns[0].pack.species: got "dragon"; expected one of wolf, boar, goblin, bandit, lizardfolk, scorpion, troll, yeti, crab, spider, skeleton',
      'spawns[1].pack.at.x: got "a"; expected a number from -100000 to 100000',
      'llm.budgetUsd: got -1; expected a number from 0 to 1000',
      'surprise: unknown key (allowed here: $schema, name, description, world, spawns, npcs, players, triggers, llm, outcome)',
    ]);
  });

  it('needs exactly one placement, and one kind per spawn entry', () => {
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf' } }] })).toEqual(['spawns[0].pack: placement: give exactly one of at, region, lairRoom (got none)']);
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf', at: { x: 0, y: 0 }, region: { x: 0, y: 0, w: 4, h: 4 } } }] }))
      .toEqual(['spawns[0].pack.region: placement: give exactly one of at, region, lairRoom (got at, region)']);
    expect(errors({ name: 'x', spawns: [{}] })).toEqual(['spawns[0]: spawn: give exactly one of pack, monster, npc (got none)']);
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf', count: 3, at: { x: 0, y: 0 } } }] })).toEqual(['spawns[0].pack: count 3: more than one pack needs a region to scatter them over']);
  });

  it('checks references: triggers and conditions name defined packs; ids are unique; lair rooms need a lair', () => {
    const s = {
      ...base(),
      npcs: [{ id: 'a', name: 'Ann', role: 'smith', at: { x: 0, y: 0 } }],
      triggers: [{ when: { packBelow: { pack: 'ghosts', members: 2 } }, do: [{ alert: { pack: 'a' } }] }],
      outcome: { win: [{ packDefeated: 'nobody' }] },
    };
    s.spawns.push({ pack: { id: 'd', species: 'wolf', size: 2, lairRoom: 1 } as never });
    expect(errors(s)).toEqual([
      'spawns[3].pack.lairRoom: lairRoom needs world.lair: true',
      "npcs[0].id: id 'a' is already used (at spawns[0].pack)",
      'triggers[0].when.packBelow.pack: no pack \'ghosts\' (packs: a, boss, c, d)',
      'outcome.win[0].packDefeated: no pack \'nobody\' (packs: a, boss, c, d)',
    ]);
  });

  it('checks triggers, conditions and the total number of monsters', () => {
    expect(errors({ ...base(), triggers: [{ when: { atTick: 5, packBelow: { pack: 'a', members: 1 } }, do: [{ say: { text: 'hi' } }] }] }))
      .toEqual(['triggers[0].when.packBelow: when: give exactly one of atTick, playerEnters, packBelow (got atTick, packBelow)']);
    expect(errors({ ...base(), triggers: [{ when: { atTick: 5 }, do: [] }] })).toEqual(['triggers[0].do: got []; expected a list of 1 to 32 items']);
    expect(errors({ name: 'x', outcome: { lose: [{ playersDead: true }] } })).toEqual(['outcome.lose[0].playersDead: the scenario has no players']);
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf', size: 24, count: 900, region: { x: 0, y: 0, w: 10, h: 10 } } }] }))
      .toEqual(['spawns: spawns 21600 monsters; at most 20000']);
  });

  it('takes an NPC stance (peaceful or guard), leaves it unset for the role to decide, and names a bad one', () => {
    const npc = (over: Record<string, unknown>) => ({ name: 'A', role: 'village guard', at: { x: 0, y: 0 }, ...over });
    const s = parseScenario({ name: 'x', npcs: [npc({ stance: 'peaceful' }), npc({ stance: 'guard' }), npc({})], spawns: [{ npc: npc({ stance: 'guard' }) }] });
    expect(s.npcs.map((n) => n.stance)).toEqual(['peaceful', 'guard', undefined]);
    expect(s.spawns[0]!.npc!.stance).toBe('guard');
    expect(errors({ name: 'x', npcs: [npc({ stance: 'berserk' })], spawns: [{ npc: npc({ stance: 3 }) }] })).toEqual([
      'npcs[0].stance: got "berserk"; expected one of peaceful, guard',
      'spawns[0].npc.stance: got 3; expected one of peaceful, guard',
    ]);
    const schema = JSON.parse(scenarioJsonSchema()) as { properties: { npcs: { items: { properties: Record<string, { enum?: string[] }> } } } };
    expect(schema.properties.npcs.items.properties.stance?.enum).toEqual(['peaceful', 'guard']);
  });

  it('takes llm.tactics (false: packs without a tactician), leaves it unset by default, and names a bad one', () => {
    expect(parseScenario(base()).llm).not.toHaveProperty('tactics');
    expect(parseScenario({ ...base(), llm: { tier: 'premium', tactics: false } }).llm).toEqual({ tier: 'premium', tactics: false });
    expect(errors({ ...base(), llm: { tactics: 'no' } })).toEqual(['llm.tactics: got "no"; expected true or false']);
    expect(errors({ ...base(), llm: { tactic: false } })).toEqual(['llm.tactic: unknown key; did you mean "tactics"? (allowed here: tier, budgetUsd, providers, tactics)']);
    const schema = JSON.parse(scenarioJsonSchema()) as { properties: { llm: { properties: Record<string, { type?: string }> } } };
    expect(schema.properties.llm.properties.tactics?.type).toBe('boolean');
  });

  it('validates every example scenario in scenarios/', () => {
    const names = new ScenarioLibrary().names();
    expect(names).toEqual(expect.arrayContaining(['wolf-ambush', 'goblin-lair', 'village', 'stress-5000']));
    for (const n of names) {
      const r = checkScenarioFile(`${DEFAULT_SCENARIOS_DIR}${n}.yaml`);
      expect(r.ok ? 'ok' : r.issues, n).toBe('ok');
    }
    const stress = new ScenarioLibrary().load('stress-5000');
    expect(stress.spawns.reduce((n, s) => n + (s.pack ? s.pack.size * s.pack.count : 1), 0)).toBe(5000);
    expect(new ScenarioLibrary().load('village').npcs.length).toBeGreaterThanOrEqual(3);
  });

  it('reports unreadable files as issues', () => {
    expect(checkScenarioFile('/nonexistent/x.yaml')).toEqual({ ok: false, issues: [{ path: [], message: 'cannot read: ENOENT' }] });
  });

  it('keeps the editors\' JSON Schema up to date (regenerate with `lairmind scenario schema`)', () => {
    expect(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchema());
    const schema = JSON.parse(scenarioJsonSchema()) as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['world', 'spawns', 'npcs', 'triggers', 'llm', 'outcome']));
    expect(schema.additionalProperties).toBe(false);
  });
});

/** A scenario file in a fresh folder. */
function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

/** Every error of a scenario file, as `path: message`. */
function fileErrors(name: string, text: string): string[] {
  const r = checkScenarioFile(file(name, text));
  return r.ok ? [] : r.issues.map(formatIssue);
}

const SPECIES = 'wolf, boar, goblin, bandit, lizardfolk, scorpion, troll, yeti, crab, spider, skeleton';

describe('scenario errors that teach', () => {
  it('a near-miss key: one error at that key, with the key meant', () => {
    expect(errors({ name: 'x', wrold: { seed: 3 } })).toEqual(['wrold: unknown key; did you mean "world"? (allowed here: $schema, name, description, world, spawns, npcs, players, triggers, llm, outcome)']);
    expect(errors({ name: 'x', spawns: [{ pack: { specie: 'wolf', at: { x: 0, y: 0 } } }] }))
      .toEqual(['spawns[0].pack.specie: unknown key; did you mean "species"? (allowed here: id, species, size, count, at, region, lairRoom, spread, faction, traits, tuning)']);
    expect(errors({ name: 'x', spawns: [{ pak: { species: 'wolf', at: { x: 0, y: 0 } } }] })).toEqual(['spawns[0].pak: unknown key; did you mean "pack"? (allowed here: pack, monster, npc)']);
  });

  it('a near-miss value, and a value in the wrong case', () => {
    expect(errors({ name: 'x', world: { biome: 'forst' } })).toEqual(['world.biome: got "forst"; expected one of deepWater, shallowWater, beach, grassland, forest, swamp, desert, hills, mountains, snow; did you mean "forest"?']);
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'Wolf', at: { x: 0, y: 0 } } }] })).toEqual([`spawns[0].pack.species: got "Wolf"; expected one of ${SPECIES}; did you mean "wolf"?`]);
    expect(errors({ ...base(), outcome: { win: [{ packDefeated: 'bos' }] } })).toEqual(['outcome.win[0].packDefeated: no pack \'bos\' (packs: a, boss, c); did you mean "boss"?']);
  });

  it('a missing field says required, and what it should be', () => {
    expect(errors({ name: 'x', spawns: [{ monster: { at: { x: 0, y: 0 } } }] })).toEqual([`spawns[0].monster.species: required; expected one of ${SPECIES}`]);
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf', at: { x: 0 } } }] })).toEqual(['spawns[0].pack.at.y: required; expected a number from -100000 to 100000']);
    expect(errors({ name: 'x', players: [{ at: { x: 0, y: 0 } }] })).toEqual(['players[0].name: required; expected text of 1 to 32 characters']);
  });

  it('one mistake gives exactly one error', () => {
    // A misspelt trigger condition: not also "give exactly one of atTick, …".
    expect(errors({ ...base(), triggers: [{ when: { atTik: 3 }, do: [{ say: { text: 'hi' } }] }] }))
      .toEqual(['triggers[0].when.atTik: unknown key; did you mean "atTick"? (allowed here: atTick, playerEnters, packBelow)']);
    // A misspelt region on a pack of several: not also "placement" nor "needs a region".
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf', count: 3, regoin: { x: 0, y: 0, w: 8, h: 8 } } }] }))
      .toEqual(['spawns[0].pack.regoin: unknown key; did you mean "region"? (allowed here: id, species, size, count, at, region, lairRoom, spread, faction, traits, tuning)']);
    // A union (the seed is text or an integer): one error, not one per branch.
    expect(errors({ name: 'x', world: { seed: 3.5 } })).toEqual(['world.seed: got 3.5; expected text of 1 to 128 characters or an integer']);
    expect(errors({ ...base(), triggers: [{ when: { atTick: 1 }, do: [{ signal: { pack: 'a', topic: 't', data: 'y'.repeat(300) } }] }] }))
      .toEqual([`triggers[0].do[0].signal.data: got "${'y'.repeat(48)}…" (300 characters); expected text of at most 200 characters`]);
    // A number written in quotes.
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf', size: '3', at: { x: 0, y: 0 } } }] }))
      .toEqual(['spawns[0].pack.size: got "3"; expected an integer from 1 to 24; did you mean 3 (without quotes)?']);
  });

  it('a valid file without a name has no name error: it is named after the file', () => {
    const f = file('ambush-at-dawn.yaml', 'spawns:\n  - pack: { species: wolf, at: { x: 0, y: 0 } }\n');
    const r = checkScenarioFile(f);
    expect(r).toMatchObject({ ok: true, scenario: { name: 'ambush-at-dawn' } });
    expect(checkScenario({ spawns: [] })).toMatchObject({ ok: true, scenario: { name: 'scenario' } });
    expect(fileErrors('bad-only-size.yaml', 'spawns:\n  - pack: { species: wolf, size: 0, at: { x: 0, y: 0 } }\n')).toEqual(['spawns[0].pack.size: got 0; expected an integer from 1 to 24']);
  });

  it('a YAML syntax error is reported once, with line, column and an excerpt with a caret', () => {
    const e = fileErrors('broken.yaml', 'name: demo\nspawns:\n  - pack:\n      species: wolf\n      at: { x: 0, y: 0\n  - pack: [\n');
    expect(e).toEqual([[
      'YAML syntax error at line 6, column 3: Flow map in block collection must be sufficiently indented and end with a }',
      '  5 |       at: { x: 0, y: 0',
      '  6 |   - pack: [',
      '    |   ^',
    ].join('\n')]);
    expect(e[0]!.split('\n')[0]).not.toMatch(/:\s*$/);
    const json = fileErrors('broken.json', '{ "name": "x", "spawns": [ } ');
    expect(json).toHaveLength(1);
    expect(json).toEqual(['JSON syntax error at line 1, column 28: Unexpected token \'}\'\n  1 | { "name": "x", "spawns": [ } \n    |                            ^']);
  });
});
