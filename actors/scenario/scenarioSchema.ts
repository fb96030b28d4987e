import { z } from 'zod';
import { BIOME_NAMES, DEFAULT_SPECIES } from '../../procgen/index.ts';
import { explainIssues, formatPath, ValidationError } from '../../shared/index.ts';
import { MAX_PACK_SIZE } from '../coordinator/plan.ts';
import { NpcPersonaSchema, NpcStanceSchema } from '../behaviours/npc.ts';
import { TraitOverridesParamSchema } from '../behaviours/traitOverrides.ts';
import type { Issue } from '../../shared/index.ts';

/**
 * The definition of a designer scenario: pure data, validated with zod (browser-safe, so the client's designer
 * panel can check a scenario before sending it). Positions are in world units (1 unit = 1 tile) relative to the
 * scenario's origin: (0, 0), the nearest tile of `world.biome`, the nearest lair when `world.lair` is set, or
 * the point an admin spawns the scenario at.
 */

/** Species a scenario may spawn (keys of the built-in species table). */
export const SCENARIO_SPECIES = Object.keys(DEFAULT_SPECIES.species) as [string, ...string[]];

/** Most monsters one scenario may spawn in all (packs × size, plus trigger spawns). */
export const MAX_SCENARIO_MONSTERS = 20_000;

const coord = z.number().min(-100_000).max(100_000);
const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/, 'must be 1-48 letters, digits, - or _, starting with a letter or digit');

/** A point relative to the scenario's origin, in world units. */
export const PointSchema = z.object({ x: coord, y: coord }).strict();

/** A rectangle relative to the scenario's origin: top-left corner and size, in world units. */
export const RegionSchema = z.object({
  x: coord,
  y: coord,
  w: z.number().positive().max(16_384),
  h: z.number().positive().max(16_384),
}).strict();

const unit = z.number().min(0).max(1);

/** Personality traits to force (each 0..1); the rest come from the personality model. */
export const TraitOverridesSchema = TraitOverridesParamSchema;

/** Monster tunables to override (see the monster behaviour's parameters). Distances in world units, times in seconds. */
export const MonsterTuningSchema = z.object({
  perception: z.number().positive().max(64).optional(),
  damage: z.number().nonnegative().max(10_000).optional(),
  cooldown: z.number().positive().max(60).optional(),
  attackRange: z.number().nonnegative().max(16).optional(),
  fleeBelow: unit.optional(),
  /** Seconds from death to respawn (scenario monsters default to 3600: they stay dead for the run). */
  respawnDelay: z.number().positive().max(3600).optional(),
  homeRadius: z.number().positive().max(1024).optional(),
  activation: z.number().min(0).max(256).optional(),
  restChance: unit.optional(),
  hp: z.number().positive().max(1e6).optional(),
  speed: z.number().positive().max(100).optional(),
}).strict();

/** Where something spawns: exactly one of `at`, `region` (scattered inside) or `lairRoom` (a room of the lair). */
const placement = {
  at: PointSchema.optional(),
  region: RegionSchema.optional(),
  /** Index of a room of the scenario's lair (needs `world.lair: true`). */
  lairRoom: z.number().int().min(0).max(64).optional(),
};

function exactlyOne(keys: readonly string[], what: string) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const present = keys.filter((k) => v[k] !== undefined);
    if (present.length !== 1) {
      const message = `${what}: give exactly one of ${keys.join(', ')}${present.length ? ` (got ${present.join(', ')})` : ' (got none)'}`;
      ctx.addIssue({ code: 'custom', path: present.length > 1 ? [present[1] as string] : [], message, params: { concerns: present.length ? [] : keys } });
    }
  };
}

/** A pack of monsters of one species (`count` packs of `size` when scattered over a region). */
export const PackSpawnSchema = z.object({
  /** Name for triggers and conditions (default `pack<index>`). */
  id: Name.optional(),
  species: z.enum(SCENARIO_SPECIES),
  /** Members per pack. */
  size: z.number().int().min(1).max(MAX_PACK_SIZE).default(4),
  /** Packs of this kind; more than one needs a `region` to scatter them over. */
  count: z.number().int().min(1).max(2000).default(1),
  ...placement,
  /** Members stand within this radius (world units) of the pack's anchor. */
  spread: z.number().min(0).max(32).default(3),
  faction: Name.default('wild'),
  traits: TraitOverridesSchema.optional(),
  tuning: MonsterTuningSchema.optional(),
}).strict().superRefine(exactlyOne(['at', 'region', 'lairRoom'], 'placement')).superRefine((p, ctx) => {
  if (p.count > 1 && !p.region) ctx.addIssue({ code: 'custom', path: [], message: `count ${p.count}: more than one pack needs a region to scatter them over`, params: { concerns: ['region'] } });
});

/** One monster. */
export const MonsterSpawnSchema = z.object({
  id: Name.optional(),
  species: z.enum(SCENARIO_SPECIES),
  name: z.string().min(1).max(48).optional(),
  ...placement,
  faction: Name.default('wild'),
  traits: TraitOverridesSchema.optional(),
  tuning: MonsterTuningSchema.optional(),
}).strict().superRefine(exactlyOne(['at', 'region', 'lairRoom'], 'placement'));

/** A non-player character with a persona: answers players through the chat mind, remembers them, wanders near home. */
export const NpcSchema = z.object({
  id: Name.optional(),
  /** Name, role (`blacksmith`, `innkeeper` …), what it knows and may share, mood, voice, species. */
  ...NpcPersonaSchema.shape,
  ...placement,
  /** Wanders within this radius of home (world units; 0 stands still). */
  wander: z.number().min(0).max(32).default(3),
  /**
   * How it behaves in danger: `peaceful` runs from attackers and calls the guards; `guard` defends its people.
   * Default: `guard` when the role names one (guard, watchman, soldier, sentry, knight …), else `peaceful`.
   */
  stance: NpcStanceSchema.optional(),
  faction: Name.default('villagers'),
  hp: z.number().positive().max(1e6).default(50),
}).strict().superRefine(exactlyOne(['at', 'region', 'lairRoom'], 'placement'));

/** What a spawn entry (or a trigger's spawn action) starts: exactly one of `pack`, `monster`, `npc`. */
export const SpawnSchema = z.object({
  pack: PackSpawnSchema.optional(),
  monster: MonsterSpawnSchema.optional(),
  npc: NpcSchema.optional(),
}).strict().superRefine(exactlyOne(['pack', 'monster', 'npc'], 'spawn'));

/** A simulated player for headless runs: walks its route, fights what attacks it, stays dead when killed. */
export const ScenarioPlayerSchema = z.object({
  name: z.string().min(1).max(32),
  at: PointSchema,
  /** Waypoints walked in order. */
  route: z.array(PointSchema).max(64).default([]),
  damage: z.number().nonnegative().max(10_000).default(15),
  hp: z.number().positive().max(1e6).default(100),
  /** Fights hostile monsters within this radius (0 never fights). */
  aggro: z.number().min(0).max(64).default(6),
}).strict();

const PackBelowSchema = z.object({ pack: Name, members: z.number().int().min(0).max(100_000) }).strict();

/** When a trigger fires: exactly one of these. Ticks count from the scenario's start. */
export const TriggerWhenSchema = z.object({
  atTick: z.number().int().min(0).max(100_000_000).optional(),
  /** A living player stands inside this region. */
  playerEnters: RegionSchema.optional(),
  /** Fewer than `members` of pack `pack` are alive. */
  packBelow: PackBelowSchema.optional(),
}).strict().superRefine(exactlyOne(['atTick', 'playerEnters', 'packBelow'], 'when'));

/** What a trigger does: exactly one of these per action. */
export const TriggerActionSchema = z.object({
  /** Spawn more (same shape as a `spawns` entry). */
  spawn: SpawnSchema.optional(),
  /** The pack turns on the nearest living player. */
  alert: z.object({ pack: Name }).strict().optional(),
  /** Send every member of a pack a signal (`topic`, optional data), e.g. an order. */
  signal: z.object({ pack: Name, topic: z.string().min(1).max(32), data: z.union([z.string().max(200), z.number(), z.boolean()]).optional() }).strict().optional(),
  /** A narrator line shown to players. */
  say: z.object({ text: z.string().min(1).max(280) }).strict().optional(),
}).strict().superRefine(exactlyOne(['spawn', 'alert', 'signal', 'say'], 'action'));

export const TriggerSchema = z.object({
  id: Name.optional(),
  when: TriggerWhenSchema,
  do: z.array(TriggerActionSchema).min(1).max(32),
  /** Fire once (default) or every time the condition becomes true again. */
  once: z.boolean().default(true),
}).strict();

/** An end condition of a headless run: exactly one of these. */
export const ConditionSchema = z.object({
  /** Every member of the pack is dead. */
  packDefeated: Name.optional(),
  packBelow: PackBelowSchema.optional(),
  /** Every simulated player is dead. */
  playersDead: z.literal(true).optional(),
  playerEnters: RegionSchema.optional(),
  /** The run reached this tick. */
  afterTick: z.number().int().min(1).max(100_000_000).optional(),
}).strict().superRefine(exactlyOne(['packDefeated', 'packBelow', 'playersDead', 'playerEnters', 'afterTick'], 'condition'));

/** LLM settings of the room: its tier, budget and the providers it may use, and whether packs get tactics (layer 4). */
export const ScenarioLlmSchema = z.object({
  tier: Name.default('free'),
  /** Most the room may spend on LLM calls, in USD. */
  budgetUsd: z.number().min(0).max(1000).optional(),
  providers: z.array(z.enum(['openai', 'anthropic', 'gemini', 'local'])).max(4).optional(),
  /**
   * false: packs without a tactician. The coordinator still gives engaged packs their rosters (help calls, target
   * reports, new leaders) but plans nothing, locally or in the cloud. Absent: tactics on.
   */
  tactics: z.boolean().optional(),
}).strict();

export const ScenarioWorldSchema = z.object({
  seed: z.union([z.string().min(1).max(128), z.number().int().safe()]).default('scenario'),
  /** Side in tiles of the square region, centred on the origin, the scenario lives in. */
  size: z.number().int().min(32).max(8192).default(256),
  /** Biome bias: the origin moves to the nearest tile of this biome. */
  biome: z.enum(BIOME_NAMES).optional(),
  /** The origin moves to the nearest lair's entrance; `lairRoom` placements use its rooms. */
  lair: z.boolean().default(false),
  /** Procedurally generated wild packs besides the scenario's own (0: none). */
  monsterDensity: z.number().min(0).max(100).default(0),
  tickRate: z.number().int().min(1).max(120).default(20),
}).strict();

export const ScenarioSchema = z.object({
  /** Editors' hint to the JSON Schema; ignored. */
  $schema: z.string().max(512).optional(),
  /** Shown in reports and recordings; a file without one is named after the file (else `scenario`). */
  name: z.string().min(1).max(64).default('scenario'),
  description: z.string().max(2000).optional(),
  world: ScenarioWorldSchema.default({ seed: 'scenario', size: 256, lair: false, monsterDensity: 0, tickRate: 20 }),
  spawns: z.array(SpawnSchema).max(5000).default([]),
  npcs: z.array(NpcSchema).max(1000).default([]),
  players: z.array(ScenarioPlayerSchema).max(64).default([]),
  triggers: z.array(TriggerSchema).max(256).default([]),
  llm: ScenarioLlmSchema.default({ tier: 'free' }),
  /** How a headless run ends: the first condition met decides (win is checked first). */
  outcome: z.object({
    win: z.array(ConditionSchema).max(16).default([]),
    lose: z.array(ConditionSchema).max(16).default([]),
  }).strict().default({ win: [], lose: [] }),
}).strict().superRefine(checkReferences);

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Spawn = z.output<typeof SpawnSchema>;
export type PackSpawn = z.output<typeof PackSpawnSchema>;
export type MonsterSpawn = z.output<typeof MonsterSpawnSchema>;
export type Npc = z.output<typeof NpcSchema>;
export type Trigger = z.output<typeof TriggerSchema>;
export type Condition = z.output<typeof ConditionSchema>;
export type Region = z.output<typeof RegionSchema>;
export type Point = z.output<typeof PointSchema>;

/** Names of packs (and single monsters) a scenario defines, with where each is defined. */
function definedPacks(s: { spawns: readonly Spawn[]; triggers: readonly Trigger[] }): Map<string, (string | number)[]> {
  const ids = new Map<string, (string | number)[]>();
  s.spawns.forEach((sp, i) => {
    const id = spawnId(sp, `pack${i}`);
    if (id) ids.set(id, ['spawns', i]);
  });
  s.triggers.forEach((t, i) => t.do.forEach((a, j) => {
    const id = a.spawn ? spawnId(a.spawn, `t${i}a${j}`) : undefined;
    if (id) ids.set(id, ['triggers', i, 'do', j, 'spawn']);
  }));
  return ids;
}

/** The name a spawn entry is known by (its `id`, or the default given). */
export function spawnId(sp: Spawn, fallback: string): string | undefined {
  if (sp.pack) return sp.pack.id ?? fallback;
  if (sp.monster) return sp.monster.id ?? fallback;
  return sp.npc?.id;
}

/** Cross-field rules: unique ids, references to defined packs, lair rooms only with a lair, a total monster cap. */
function checkReferences(s: Scenario, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  const note = (id: string | undefined, path: (string | number)[]): void => {
    if (id === undefined) return;
    const where = formatPath(path);
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `id '${id}' is already used (at ${seen.get(id)})` });
    else seen.set(id, where);
  };
  s.spawns.forEach((sp, i) => note(sp.pack?.id ?? sp.monster?.id ?? sp.npc?.id, ['spawns', i, sp.pack ? 'pack' : sp.monster ? 'monster' : 'npc']));
  s.npcs.forEach((n, i) => note(n.id, ['npcs', i]));
  s.triggers.forEach((t, i) => t.do.forEach((a, j) => {
    if (a.spawn) note(a.spawn.pack?.id ?? a.spawn.monster?.id ?? a.spawn.npc?.id, ['triggers', i, 'do', j, 'spawn', a.spawn.pack ? 'pack' : a.spawn.monster ? 'monster' : 'npc']);
  }));
  const packs = definedPacks(s);
  const known = (): string => (packs.size ? [...packs.keys()].join(', ') : 'none defined');
  const ref = (id: string, path: (string | number)[]): void => {
    if (!packs.has(id)) ctx.addIssue({ code: 'custom', path, message: `no pack '${id}' (packs: ${known()})`, params: { allowed: [...packs.keys()] } });
  };
  s.triggers.forEach((t, i) => {
    if (t.when.packBelow) ref(t.when.packBelow.pack, ['triggers', i, 'when', 'packBelow', 'pack']);
    t.do.forEach((a, j) => {
      if (a.alert) ref(a.alert.pack, ['triggers', i, 'do', j, 'alert', 'pack']);
      if (a.signal) ref(a.signal.pack, ['triggers', i, 'do', j, 'signal', 'pack']);
    });
  });
  for (const side of ['win', 'lose'] as const) {
    s.outcome[side].forEach((c, i) => {
      if (c.packDefeated) ref(c.packDefeated, ['outcome', side, i, 'packDefeated']);
      if (c.packBelow) ref(c.packBelow.pack, ['outcome', side, i, 'packBelow', 'pack']);
      if (c.playersDead && s.players.length === 0) ctx.addIssue({ code: 'custom', path: ['outcome', side, i, 'playersDead'], message: 'the scenario has no players' });
    });
  }
  if (!s.world.lair) {
    const noLair = (p: { lairRoom?: number | undefined } | undefined, path: (string | number)[]): void => {
      if (p?.lairRoom !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'lairRoom'], message: 'lairRoom needs world.lair: true' });
    };
    const spawnPaths = (sp: Spawn, path: (string | number)[]): void => {
      noLair(sp.pack, [...path, 'pack']);
      noLair(sp.monster, [...path, 'monster']);
      noLair(sp.npc, [...path, 'npc']);
    };
    s.spawns.forEach((sp, i) => spawnPaths(sp, ['spawns', i]));
    s.npcs.forEach((n, i) => noLair(n, ['npcs', i]));
    s.triggers.forEach((t, i) => t.do.forEach((a, j) => a.spawn && spawnPaths(a.spawn, ['triggers', i, 'do', j, 'spawn'])));
  }
  let monsters = 0;
  const count = (sp: Spawn): void => {
    if (sp.pack) monsters += sp.pack.size * sp.pack.count;
    else if (sp.monster) monsters += 1;
  };
  s.spawns.forEach(count);
  s.triggers.forEach((t) => t.do.forEach((a) => a.spawn && count(a.spawn)));
  if (monsters > MAX_SCENARIO_MONSTERS) ctx.addIssue({ code: 'custom', path: ['spawns'], message: `spawns ${monsters} monsters; at most ${MAX_SCENARIO_MONSTERS}` });
}

/**
 * Validate a scenario; returns every issue instead of throwing, each naming its path, the bad value, what was
 * expected and a near miss when there is one (see {@link explainIssues}); one issue per mistake.
 */
export function checkScenario(value: unknown): { ok: true; scenario: Scenario } | { ok: false; issues: Issue[] } {
  const r = ScenarioSchema.safeParse(value);
  if (r.success) return { ok: true, scenario: r.data };
  return { ok: false, issues: explainIssues(ScenarioSchema, r.error.issues, value) };
}

/** Validate a scenario; throws a {@link ValidationError} naming every bad field, e.g. `spawns[2].pack.size: expected an integer from 1 to 24, got 30`. */
export function parseScenario(value: unknown): Scenario {
  const r = checkScenario(value);
  if (!r.ok) throw new ValidationError('scenario', r.issues);
  return r.scenario;
}
