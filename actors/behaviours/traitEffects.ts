import type { Traits } from '../ports.ts';

/** The monster tunables the trait effects scale (a subset of the monster's params). */
export interface TraitEffectParams {
  readonly perception: number;
  readonly leash: number;
  readonly fleeBelow: number;
}

/**
 * What a monster's personality does to its reflexes, whatever mind decides. Each number comes from one trait; a
 * middling trait (0.5) gives the species' tunables unchanged. Distances in world units.
 */
export interface TraitEffects {
  /** Courage: flees while hp is below this fraction of max hp (braver flees later). */
  readonly fleeBelow: number;
  /** Aggression: takes on a perceived foe (starts a chase) only within this distance; a foe in reach is always fought. */
  readonly engageRange: number;
  /** Aggression: gives up a chase beyond this distance. */
  readonly leash: number;
  /** Sociability: when idle, walks toward its nearest pack mate once farther than this (Infinity: never). */
  readonly keepWithin: number;
  /** Sociability: when idle, walks away from a pack mate nearer than this (loners; 0: never). */
  readonly keepApart: number;
  /** Sociability: while chasing, runs at this fraction of its speed when a pack mate lags behind (1: never waits). */
  readonly waitSpeed: number;
  /** Cunning: radians it turns off the straight line when it decides to flank. */
  readonly flankAngle: number;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * The numbers the reflexes use, each from one trait (traits outside 0..1 are clamped):
 * - courage c: `fleeBelow = params.fleeBelow × (1.5 − c)` (1.5× the species' threshold at c = 0, 0.5× at c = 1);
 * - aggression a: `engageRange = perception × min(1, 0.4 + 1.2a)` (the whole perception radius from a = 0.5 up,
 *   half of it at a ≈ 0.1) and `leash = perception × params.leash × (0.5 + a)`, never short of `engageRange`;
 * - sociability s: `keepWithin = perception × (1.2 − s)` (Infinity when that reaches past perception: no pull),
 *   `keepApart = perception × (0.5 − s)` for loners (s < 0.5), and `waitSpeed = 1 − (s − 0.5)` for the sociable
 *   (s > 0.5: 0.6 at s = 0.9);
 * - cunning k: `flankAngle = π/4 × (0.5 + k)` (π/4 at k = 0.5).
 */
export function traitEffects(traits: Traits, params: TraitEffectParams): TraitEffects {
  const courage = clamp01(traits.courage);
  const aggression = clamp01(traits.aggression);
  const sociability = clamp01(traits.sociability);
  const cunning = clamp01(traits.cunning);
  const engageRange = params.perception * Math.min(1, 0.4 + 1.2 * aggression);
  const keepWithin = params.perception * (1.2 - sociability);
  return {
    fleeBelow: params.fleeBelow * (1.5 - courage),
    engageRange,
    leash: Math.max(engageRange, params.perception * params.leash * (0.5 + aggression)),
    keepWithin: keepWithin >= params.perception ? Infinity : keepWithin,
    keepApart: sociability < 0.5 ? params.perception * (0.5 - sociability) : 0,
    waitSpeed: sociability > 0.5 ? 1 - (sociability - 0.5) : 1,
    flankAngle: (Math.PI / 4) * (0.5 + cunning),
  };
}

/** Effects already worked out, by params object then traits object (both are long-lived and shared). */
const cache = new WeakMap<object, WeakMap<Traits, TraitEffects>>();

/**
 * {@link traitEffects}, worked out once per (traits, params) pair: the monster's hot path reads the numbers off a
 * shared frozen object instead of making one per tick.
 */
export function cachedTraitEffects(traits: Traits, params: TraitEffectParams): TraitEffects {
  let byTraits = cache.get(params);
  if (!byTraits) {
    byTraits = new WeakMap();
    cache.set(params, byTraits);
  }
  let e = byTraits.get(traits);
  if (!e) {
    e = Object.freeze(traitEffects(traits, params));
    byTraits.set(traits, e);
  }
  return e;
}
