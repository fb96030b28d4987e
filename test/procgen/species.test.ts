import { describe, expect, it } from 'vitest';
import { DEFAULT_SPECIES, createWorldGen, parseSpeciesTable, rollName } from '../../procgen/index.ts';
import { ValidationError } from '../../shared/index.ts';
import { Rng } from '../../shared/index.ts';

const clone = (): Record<string, any> => structuredClone(DEFAULT_SPECIES) as Record<string, any>;

describe('species tables', () => {
  it('the built-in table is valid', () => {
    const t = parseSpeciesTable(DEFAULT_SPECIES);
    expect(Object.keys(t.species).length).toBeGreaterThan(5);
    expect(t.species.wolf?.names.titles.length).toBeGreaterThan(0);
  });

  const cases: [string, (t: Record<string, any>) => void, string][] = [
    ['inverted range', (t) => { t.species.wolf.packSize = [6, 3]; }, 'species.wolf.packSize: range must be [min, max]'],
    ['bad stat', (t) => { t.species.boar.stats.hp = [0, 10]; }, 'species.boar.stats.hp[0]:'],
    ['unknown species in biome', (t) => { t.biomes.forest.spawns[1].species = 'dragon'; }, 'biomes.forest.spawns[1].species: unknown species "dragon"'],
    ['unknown species in lair', (t) => { t.lairs.cave[0].species = 'ghost'; }, 'lairs.cave[0].species: unknown species "ghost"'],
    ['unknown biome', (t) => { t.biomes.jungle = { density: 1, spawns: [] }; }, 'biomes'],
    ['empty syllables', (t) => { t.species.goblin.names.start = []; }, 'species.goblin.names.start:'],
    ['loot chance', (t) => { t.species.wolf.loot[0].chance = 2; }, 'species.wolf.loot[0].chance:'],
    ['extra key', (t) => { t.species.wolf.colour = 'grey'; }, 'species.wolf'],
  ];
  it.each(cases)('%s: the error names the path', (_name, mutate, fragment) => {
    const t = clone();
    mutate(t);
    expect(() => parseSpeciesTable(t)).toThrow(ValidationError);
    expect(() => parseSpeciesTable(t)).toThrow(fragment);
    expect(() => createWorldGen({ seed: 1 }, { species: t })).toThrow(fragment);
  });

  it('names come from the grammar and are seeded', () => {
    const g = parseSpeciesTable(DEFAULT_SPECIES).species.goblin!.names;
    const a = Array.from({ length: 20 }, (_, i) => rollName(g, Rng.create(`n${i}`)));
    const b = Array.from({ length: 20 }, (_, i) => rollName(g, Rng.create(`n${i}`)));
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(5);
    for (const n of a) {
      expect(n).toMatch(/^[A-Z][a-z]+( the [A-Z][a-z]+)?$/);
      expect(g.start.some((s) => n.toLowerCase().startsWith(s.toLowerCase()))).toBe(true);
    }
  });
});
