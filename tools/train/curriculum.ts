import { DEFAULT_SPECIES } from '../../procgen/index.ts';
import { Rng } from '../../shared/index.ts';
import type { BotFocus } from './arenaBot.ts';

/** One stage of the training curriculum: which battles it draws. */
export interface Stage {
  readonly name: string;
  readonly species: readonly string[];
  readonly pack: readonly [number, number];
  readonly bots: readonly [number, number];
  readonly walls: readonly [number, number];
  /** Patches of slow ground (cost 2–3). */
  readonly mud: readonly [number, number];
  /** Patches of brush with cover. */
  readonly cover: readonly [number, number];
  /** Chance that the bots hit the weakest monster instead of the nearest. */
  readonly weakestFirst: number;
  /** Share of the training's generations spent in this stage. */
  readonly share: number;
}

const ALL_SPECIES = Object.keys(DEFAULT_SPECIES.species);

/** Easy to hard: wolves on open ground, then every species among walls, then slow ground, cover and smarter bots. */
export const STAGES: readonly Stage[] = [
  { name: 'wolves', species: ['wolf'], pack: [3, 4], bots: [1, 2], walls: [0, 0], mud: [0, 0], cover: [0, 0], weakestFirst: 0, share: 0.2 },
  { name: 'species', species: ALL_SPECIES, pack: [2, 5], bots: [1, 2], walls: [0, 3], mud: [0, 0], cover: [0, 0], weakestFirst: 0.25, share: 0.3 },
  { name: 'terrain', species: ALL_SPECIES, pack: [2, 6], bots: [1, 3], walls: [2, 5], mud: [0, 3], cover: [0, 2], weakestFirst: 0.5, share: 0.5 },
];

/** The stage held-out and validation battles are drawn from: the hardest, the whole variety. */
export const FULL_STAGE = STAGES[STAGES.length - 1] as Stage;

export interface MonsterSpec {
  readonly x: number;
  readonly y: number;
  readonly hp: number;
  readonly speed: number;
  readonly damage: number;
  readonly sight: number;
}

export interface BotSpec {
  readonly x: number;
  readonly y: number;
  readonly hp: number;
  readonly speed: number;
  readonly damage: number;
  readonly focus: BotFocus;
}

/** A patch of ground: `cost` Infinity for a wall. */
export interface Patch {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly cost: number;
  readonly cover: number;
}

/** Everything one battle is made of, drawn from a seed and a stage. */
export interface BattleSpec {
  readonly seed: string;
  readonly stage: string;
  readonly size: number;
  readonly species: string;
  readonly biome: string;
  readonly monsters: readonly MonsterSpec[];
  readonly bots: readonly BotSpec[];
  readonly patches: readonly Patch[];
}

/** Seconds between a bot's blows, and a bot's hit points. */
export const BOT_COOLDOWN = 0.5;
const BOT_HP = 100;
const ARENA = 48;

/** The biome a species is met in most (for its personality): the first biome that spawns it. */
function biomeOf(species: string): string {
  for (const [biome, b] of Object.entries(DEFAULT_SPECIES.biomes ?? {})) if ((b as { spawns?: { species: string }[] }).spawns?.some((s) => s.species === species)) return biome;
  return 'grassland';
}

const roll = (rng: Rng, [lo, hi]: readonly [number, number]): number => rng.float(lo, hi);

/**
 * A battle of `stage` from `seed`: a pack of one species (stats rolled from the species table) at the west end of a
 * 48×48 arena against scripted players at the east end, the players' damage set so that the two sides' strength
 * (total hp × total damage per second) stands in a ratio drawn between 0.3 and 1.3: some battles are easy, some
 * are lost whatever the monsters do, most turn on how they fight.
 */
export function battleSpec(seed: string, stage: Stage): BattleSpec {
  const rng = Rng.create(`battle/${seed}`);
  const species = rng.pick(stage.species);
  const def = DEFAULT_SPECIES.species[species] as { stats: Record<'hp' | 'attack' | 'speed' | 'sight', [number, number]> };
  const n = rng.int(stage.pack[0], stage.pack[1]);
  const monsters: MonsterSpec[] = [];
  for (let i = 0; i < n; i++) {
    monsters.push({
      x: 9 + rng.float(-3, 3), y: ARENA / 2 + rng.float(-7, 7),
      hp: Math.round(roll(rng, def.stats.hp)), speed: Math.round(roll(rng, def.stats.speed) * 10) / 10,
      damage: Math.round(roll(rng, def.stats.attack)), sight: Math.round(roll(rng, def.stats.sight)),
    });
  }
  const packPower = monsters.reduce((s, m) => s + m.hp, 0) * monsters.reduce((s, m) => s + m.damage, 0);
  const nb = rng.int(stage.bots[0], stage.bots[1]);
  const ratio = Math.exp(rng.float(Math.log(0.3), Math.log(1.3)));
  const damage = Math.min(60, Math.max(1, Math.round(((ratio * packPower) / (nb * BOT_HP * nb)) * BOT_COOLDOWN * 10) / 10));
  const focus: BotFocus = rng.chance(stage.weakestFirst) ? 'weakest' : 'nearest';
  const bots: BotSpec[] = [];
  for (let i = 0; i < nb; i++) bots.push({ x: 39 + rng.float(-2, 2), y: ARENA / 2 + rng.float(-6, 6), hp: BOT_HP, speed: Math.round(rng.float(3.5, 5) * 10) / 10, damage, focus });
  const patches: Patch[] = [];
  for (let k = rng.int(stage.walls[0], stage.walls[1]); k > 0; k--) patches.push({ x: rng.int(16, 30), y: rng.int(8, 36), w: rng.int(1, 3), h: rng.int(2, 6), cost: Infinity, cover: 0 });
  for (let k = rng.int(stage.mud[0], stage.mud[1]); k > 0; k--) patches.push({ x: rng.int(12, 34), y: rng.int(6, 36), w: rng.int(3, 7), h: rng.int(3, 7), cost: rng.pick([2, 3]), cover: 0 });
  for (let k = rng.int(stage.cover[0], stage.cover[1]); k > 0; k--) patches.push({ x: rng.int(6, 30), y: rng.int(6, 36), w: rng.int(2, 5), h: rng.int(2, 5), cost: 1.5, cover: 0.7 });
  return { seed, stage: stage.name, size: ARENA, species, biome: biomeOf(species), monsters, bots, patches };
}

/** The stage of generation `g` of `total`. */
export function stageAt(g: number, total: number): Stage {
  let end = 0;
  for (const s of STAGES) {
    end += s.share * total;
    if (g < end) return s;
  }
  return FULL_STAGE;
}

/** Seeds of the three disjoint sets: training (per generation), validation (model selection) and held-out (the bench only). */
export const trainSeed = (runSeed: string, generation: number, k: number): string => `train/${runSeed}/${generation}/${k}`;
export const validationSeed = (k: number): string => `validation/${k}`;
export const heldOutSeed = (k: number): string => `heldout/${k}`;
