import type { PersonalityRequest, Traits } from '../actors/index.ts';
import { BIOMES, LATENT_SIZE, SPECIES, TEMPERAMENTS, VOICES } from './catalog.ts';
import type { Temperament, Voice } from './catalog.ts';
import type { HeadSpec } from './nn/mlp.ts';

/** The personality model's input width: species one-hot, biome one-hot, latent. */
export const PERSONALITY_INPUTS = SPECIES.length + BIOMES.length + LATENT_SIZE;
/** Its outputs: `traits` (sigmoid, TRAIT_NAMES order), `temperament` and `voice` logits. */
export const PERSONALITY_HEADS: readonly HeadSpec[] = [
  { name: 'traits', size: 6, kind: 'sigmoid' },
  { name: 'temperament', size: TEMPERAMENTS.length, kind: 'softmax' },
  { name: 'voice', size: VOICES.length, kind: 'softmax' },
];

const indexOr = (list: readonly string[], v: string): number => {
  const i = list.indexOf(v);
  return i >= 0 ? i : list.length - 1;
};

/** Write the features of `r` into `out` at `offset` (PERSONALITY_INPUTS numbers). */
export function personalityFeatures(r: PersonalityRequest, out: Float32Array, offset: number): void {
  out.fill(0, offset, offset + PERSONALITY_INPUTS);
  out[offset + indexOr(SPECIES, r.species)] = 1;
  out[offset + SPECIES.length + indexOr(BIOMES, r.biome)] = 1;
  for (let k = 0; k < LATENT_SIZE; k++) {
    const v = r.latent[k];
    out[offset + SPECIES.length + BIOMES.length + k] = typeof v === 'number' && Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5;
  }
}

// ---- the teacher the model imitates --------------------------------------------------------------------

/** Base traits per species (aggression, courage, sociability, greed, curiosity, cunning). */
const SPECIES_BASE: Record<string, readonly number[]> = {
  wolf: [0.65, 0.6, 0.85, 0.3, 0.45, 0.55],
  boar: [0.6, 0.7, 0.4, 0.35, 0.25, 0.2],
  goblin: [0.5, 0.3, 0.7, 0.85, 0.6, 0.65],
  bandit: [0.55, 0.5, 0.55, 0.9, 0.4, 0.7],
  lizardfolk: [0.5, 0.55, 0.6, 0.4, 0.5, 0.6],
  scorpion: [0.75, 0.65, 0.15, 0.2, 0.2, 0.4],
  troll: [0.8, 0.8, 0.3, 0.55, 0.2, 0.15],
  yeti: [0.55, 0.75, 0.35, 0.2, 0.35, 0.3],
  crab: [0.35, 0.4, 0.45, 0.5, 0.3, 0.2],
  spider: [0.6, 0.45, 0.2, 0.3, 0.35, 0.8],
  skeleton: [0.7, 0.95, 0.5, 0.1, 0.1, 0.3],
  other: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
};

/** Biome shifts of the same traits (in logit units). */
const BIOME_SHIFT: Record<string, readonly number[]> = {
  snow: [0, 0.4, 0.2, -0.2, -0.2, 0],
  desert: [0.2, 0, -0.2, 0.3, 0, 0.3],
  swamp: [0, -0.2, 0, 0, 0.2, 0.4],
  forest: [0, 0, 0.2, 0, 0.3, 0.1],
  hills: [0.2, 0.2, 0, 0, 0, 0],
  mountains: [0.1, 0.3, -0.2, 0, 0, 0],
  dungeon: [0.4, 0.2, 0, 0.3, -0.2, 0.2],
  beach: [-0.2, 0, 0.1, 0.2, 0.2, 0],
};

/** How the latent moves each trait (fixed; rows are traits, columns latent dims). */
const LATENT_MIX: readonly (readonly number[])[] = [
  [2.2, 0.6, 0, 0, -0.5, 0, 0.4, 0],
  [0.5, 2.0, 0, 0, 0, -0.6, 0, 0.3],
  [0, 0, 2.2, 0.4, 0, 0, -0.4, 0],
  [0, 0, -0.3, 2.1, 0, 0.5, 0, 0],
  [-0.4, 0, 0, 0, 2.2, 0, 0, 0.6],
  [0, -0.3, 0, 0.5, 0, 2.0, 0.3, 0],
];

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The rule teacher: traits from species, biome and latent. */
export function teacherTraits(r: PersonalityRequest): number[] {
  const base = SPECIES_BASE[r.species] ?? (SPECIES_BASE.other as readonly number[]);
  const shift = BIOME_SHIFT[r.biome] ?? [0, 0, 0, 0, 0, 0];
  return base.map((b, t) => {
    let z = logit(b) + (shift[t] as number);
    const mix = LATENT_MIX[t] as readonly number[];
    for (let k = 0; k < LATENT_SIZE; k++) z += (mix[k] as number) * ((r.latent[k] ?? 0.5) - 0.5);
    return sigmoid(z);
  });
}

/** Scores of each temperament for a trait vector (the teacher picks the highest). */
export function temperamentScores(t: readonly number[]): number[] {
  const [ag, co, so, gr, cu, cn] = t as [number, number, number, number, number, number];
  return [
    ag + co - 0.55, // fierce
    (1 - co) * 1.4 - ag * 0.2 - 0.1, // skittish
    cn + gr * 0.5 - 0.5, // sly
    cu * 1.3 - 0.2, // curious
    so * 1.2 + co * 0.2 - 0.25, // loyal
    (1 - so) * 0.8 + (1 - cu) * 0.5 - 0.45, // sullen
  ];
}

/** Species leaning of voices (added to trait-driven scores). */
const SPECIES_VOICE: Record<string, Partial<Record<Voice, number>>> = {
  wolf: { growling: 1.2 }, boar: { gruff: 1, growling: 0.4 }, goblin: { cackling: 1, whiny: 0.6 }, bandit: { formal: 0.6, gruff: 0.8 },
  lizardfolk: { hissing: 1.5 }, scorpion: { hissing: 0.8, raspy: 0.6 }, troll: { gruff: 1.2 }, yeti: { growling: 0.7, gruff: 0.6 },
  crab: { whiny: 0.6, raspy: 0.5 }, spider: { hissing: 1, formal: 0.3 }, skeleton: { raspy: 1.5 },
};

/** Scores of each voice for a species and trait vector. */
export function voiceScores(species: string, t: readonly number[]): number[] {
  const [ag, co, so, gr, cu, cn] = t as [number, number, number, number, number, number];
  const lean = SPECIES_VOICE[species] ?? {};
  const traitScore: Record<Voice, number> = {
    growling: ag * 0.8 - cn * 0.2, whiny: (1 - co) * 0.9, formal: cn * 0.7 + so * 0.2 - ag * 0.3, hissing: cn * 0.3,
    gruff: co * 0.4 + (1 - so) * 0.3, cackling: gr * 0.4 + cu * 0.3, raspy: 0.2,
  };
  return VOICES.map((v) => traitScore[v] + (lean[v] ?? 0));
}

const argmax = (xs: readonly number[]): number => xs.reduce((best, x, i) => (x > (xs[best] as number) ? i : best), 0);

/** Everything the teacher says about one monster. */
export function teacherPersonality(r: PersonalityRequest): { traits: number[]; temperament: Temperament; voice: Voice } {
  const traits = teacherTraits(r);
  return {
    traits,
    temperament: TEMPERAMENTS[argmax(temperamentScores(traits))] as Temperament,
    voice: VOICES[argmax(voiceScores(r.species, traits))] as Voice,
  };
}

/** Traits as the port's object. */
export function traitsObject(v: ArrayLike<number>, offset = 0): Traits {
  const q = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    aggression: q(v[offset] as number), courage: q(v[offset + 1] as number), sociability: q(v[offset + 2] as number),
    greed: q(v[offset + 3] as number), curiosity: q(v[offset + 4] as number), cunning: q(v[offset + 5] as number),
  };
}
