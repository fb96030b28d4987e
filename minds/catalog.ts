import type { Action, Intent } from '../actors/index.ts';

/**
 * The vocabularies the built-in models were trained on. Species and biomes outside these lists are encoded
 * as `other` (they still get a personality, from the latent alone).
 */
export const SPECIES = ['wolf', 'boar', 'goblin', 'bandit', 'lizardfolk', 'scorpion', 'troll', 'yeti', 'crab', 'spider', 'skeleton', 'other'] as const;
export const BIOMES = ['deepWater', 'shallowWater', 'beach', 'grassland', 'forest', 'swamp', 'desert', 'hills', 'mountains', 'snow', 'dungeon', 'other'] as const;
/** Temperament labels of the personality model. */
export const TEMPERAMENTS = ['fierce', 'skittish', 'sly', 'curious', 'loyal', 'sullen'] as const;
/** Voice styles of the personality model (and of the reply grammar). */
export const VOICES = ['growling', 'whiny', 'formal', 'hissing', 'gruff', 'cackling', 'raspy'] as const;
/** Latent numbers the personality model reads (missing ones count as 0.5, extra ones are ignored). */
export const LATENT_SIZE = 8;

export type Temperament = (typeof TEMPERAMENTS)[number];
export type Voice = (typeof VOICES)[number];

/**
 * The port's label lists, repeated here because minds/ may import only types from actors/ (a test checks
 * they equal ACTIONS, INTENTS and TRAIT_NAMES of actors/ports.ts).
 */
export const ACTION_LABELS = ['attack', 'chase', 'flankLeft', 'flankRight', 'hold', 'retreat', 'callPack', 'wander', 'followOrder'] as const satisfies readonly Action[];
export const INTENT_LABELS = ['greet', 'threaten', 'askDirections', 'askAboutSelf', 'trade', 'flatter', 'insult', 'farewell', 'askForHelp', 'unknown'] as const satisfies readonly Intent[];
export const TRAIT_KEYS = ['aggression', 'courage', 'sociability', 'greed', 'curiosity', 'cunning'] as const;
