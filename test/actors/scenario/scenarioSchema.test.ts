import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkScenario, parseScenario } from '../../../actors/index.ts';
import { formatPath } from '../../../shared/index.ts';
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

/** Every error as `path: message`. */
function errors(value: unknown): string[] {
  const r = checkScenario(value);
  return r.ok ? [] : r.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

describe('scenario definition', () => {
  it('accepts a small scenario and fills the defaults', () => {
    const s = parseScenario(base());
    expect(s.world).toMatchObject({ seed: 'scenario', size: 256, monsterDensity: 0, lair: false });
    expect(s.llm.tier).toBe('free');
    expect(s.spawns[0]!.pack).toMatchObject({ spread: 3, faction: 'wild', count: 1 });
  });

  it('names the path and the rule of a number out of range', () => {
    const s = base();
    s.spawns[2]!.pack!.size = 30;
    expect(errors(s)).toEqual(['spawns[2].pack.size: Too big: expected number to be <=24']);
    expect(() => parseScenario(s)).toThrow('invalid scenario: spawns[2].pack.size: Too big: expected number to be <=24');
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
    expect(e).toEqual(expect.arrayContaining([
      'name: Too small: expected string to have >=1 characters',
      'world.size: Too small: expected number to be >=32',
      expect.stringMatching(/^world\.biome: Invalid option/),
      expect.stringMatching(/^spawns\[0\]\.pack\.species: Invalid option: expected one of "wolf"\|/),
      'spawns[1].pack.at.x: Invalid input: expected number, received string',
      'llm.budgetUsd: Too small: expected number to be >=0',
      expect.stringMatching(/^\(root\): Unrecognized key: "surprise"/),
    ]));
    expect(e.length).toBeGreaterThanOrEqual(7);
  });

  it('needs exactly one placement, and one kind per spawn entry', () => {
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf' } }] })).toEqual(['spawns[0].pack: placement: give exactly one of at, region, lairRoom']);
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf', at: { x: 0, y: 0 }, region: { x: 0, y: 0, w: 4, h: 4 } } }] }))
      .toEqual(['spawns[0].pack.region: placement: give exactly one of at, region, lairRoom (got at, region)']);
    expect(errors({ name: 'x', spawns: [{}] })).toEqual(['spawns[0]: spawn: give exactly one of pack, monster, npc']);
    expect(errors({ name: 'x', spawns: [{ pack: { species: 'wolf', count: 3, at: { x: 0, y: 0 } } }] })).toEqual(['spawns[0].pack.count: more than one pack needs a region to scatter them over']);
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
      "npcs[0].id: id 'a' is already used (at spawns.0.pack)",
      'triggers[0].when.packBelow.pack: no pack \'ghosts\' (packs: a, boss, c, d)',
      'outcome.win[0].packDefeated: no pack \'nobody\' (packs: a, boss, c, d)',
      'spawns[3].pack.lairRoom: lairRoom needs world.lair: true',
    ]);
  });

  it('checks triggers, conditions and the total number of monsters', () => {
    expect(errors({ ...base(), triggers: [{ when: { atTick: 5, packBelow: { pack: 'a', members: 1 } }, do: [{ say: { text: 'hi' } }] }] }))
      .toEqual(['triggers[0].when.packBelow: when: give exactly one of atTick, playerEnters, packBelow (got atTick, packBelow)']);
    expect(errors({ ...base(), triggers: [{ when: { atTick: 5 }, do: [] }] })).toEqual(['triggers[0].do: Too small: expected array to have >=1 items']);
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
      'spawns[0].npc.stance: Invalid option: expected one of "peaceful"|"guard"',
      'npcs[0].stance: Invalid option: expected one of "peaceful"|"guard"',
    ]);
    const schema = JSON.parse(scenarioJsonSchema()) as { properties: { npcs: { items: { properties: Record<string, { enum?: string[] }> } } } };
    expect(schema.properties.npcs.items.properties.stance?.enum).toEqual(['peaceful', 'guard']);
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

  it('reports YAML syntax errors and unreadable files as issues', () => {
    expect(checkScenarioFile('/nonexistent/x.yaml')).toEqual({ ok: false, issues: [{ path: [], message: 'cannot read: ENOENT' }] });
  });

  it('keeps the editors\' JSON Schema up to date (regenerate with `lairmind scenario schema`)', () => {
    expect(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchema());
    const schema = JSON.parse(scenarioJsonSchema()) as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['world', 'spawns', 'npcs', 'triggers', 'llm', 'outcome']));
    expect(schema.additionalProperties).toBe(false);
  });
});
