import { z } from 'zod';
import { BIOME_NAMES } from './biomes.ts';
import { parseWith } from '../shared/index.ts';

const range = (lo: number, hi: number, int: boolean) => {
  const n = int ? z.number().int().min(lo).max(hi) : z.number().min(lo).max(hi);
  return z.tuple([n, n]).refine((r) => r[0] <= r[1], { message: 'range must be [min, max] with min <= max' });
};

/** A syllable grammar: name = start + middle × count + end, capitalised; sometimes with a title. */
export const NameGrammarSchema = z.object({
  start: z.array(z.string().min(1).max(12)).min(1),
  middle: z.array(z.string().min(1).max(12)).default([]),
  end: z.array(z.string().min(1).max(12)).min(1),
  /** How many middle syllables [min, max]. */
  middleCount: range(0, 4, true).default([0, 1]),
  /** Titles appended as `Name the Title`. */
  titles: z.array(z.string().min(1).max(32)).default([]),
  /** Probability (0..1) of a title. */
  titleChance: z.number().min(0).max(1).default(0),
}).strict();

/** A loot entry: `item` dropped with probability `chance`, `count` items [min, max]. */
export const LootSchema = z.object({
  item: z.string().min(1).max(64),
  chance: z.number().min(0).max(1),
  count: range(1, 1000, true).default([1, 1]),
}).strict();

/** One species: stat ranges (rolled per monster), pack sizes, names and loot. */
export const SpeciesSchema = z.object({
  /** Display name of the species. */
  label: z.string().min(1).max(64),
  stats: z.object({
    /** Hit points [min, max]. */
    hp: range(1, 1e6, true),
    /** Damage per hit [min, max]. */
    attack: range(0, 1e5, true),
    /** Damage reduction [min, max]. */
    defense: range(0, 1e5, true),
    /** Speed in tiles per second [min, max]. */
    speed: range(0, 50, false),
    /** Sight radius in tiles [min, max]. */
    sight: range(0, 100, false),
  }).strict(),
  /** Members per pack [min, max]. */
  packSize: range(1, 64, true),
  names: NameGrammarSchema,
  loot: z.array(LootSchema).default([]),
}).strict();

const weightedList = z.array(z.object({ species: z.string().min(1), weight: z.number().positive().max(1e6) }).strict());

/** Which species live where, and how densely. */
export const SpeciesTableSchema = z.object({
  species: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_-]*$/, 'species ids are lower camel/kebab case'), SpeciesSchema),
  /** Wild packs per biome: `density` is packs per 1,000 walkable tiles. */
  biomes: z.partialRecord(z.enum(BIOME_NAMES), z.object({
    density: z.number().min(0).max(100),
    spawns: weightedList,
  }).strict()),
  /** Dwellers of each lair kind: one pack lives in each lair's den room. */
  lairs: z.object({ cave: weightedList.min(1), ruin: weightedList.min(1) }).strict(),
}).strict().superRefine((t, ctx) => {
  const check = (list: readonly { species: string }[], path: (string | number)[]): void => {
    list.forEach((e, i) => {
      if (!Object.hasOwn(t.species, e.species)) {
        ctx.addIssue({ code: 'custom', path: [...path, i, 'species'], message: `unknown species "${e.species}"` });
      }
    });
  };
  for (const [b, v] of Object.entries(t.biomes)) if (v) check(v.spawns, ['biomes', b, 'spawns']);
  check(t.lairs.cave, ['lairs', 'cave']);
  check(t.lairs.ruin, ['lairs', 'ruin']);
});

/** A validated species table. */
export type SpeciesTable = z.output<typeof SpeciesTableSchema>;
/** A species table as written (defaults optional). */
export type SpeciesTableInput = z.input<typeof SpeciesTableSchema>;
/** One validated species. */
export type Species = z.output<typeof SpeciesSchema>;
/** One validated name grammar. */
export type NameGrammar = z.output<typeof NameGrammarSchema>;

/**
 * Validate a species table (e.g. parsed from YAML/JSON). Throws a `ValidationError` naming every bad
 * field, e.g. `invalid species table: species.wolf.packSize: range must be [min, max] with min <= max`.
 */
export function parseSpeciesTable(input: unknown): SpeciesTable {
  return parseWith(SpeciesTableSchema, input, 'species table');
}
