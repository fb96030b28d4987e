import { z } from 'zod';
import type { Personality, Traits } from '../ports.ts';
import { NEUTRAL_TRAITS } from './monsterMind.ts';

const unit = z.number().min(0).max(1);

/** Traits a designer forces on a monster (each 0..1); the others come from its personality. */
export const TraitOverridesParamSchema = z.object({
  aggression: unit.optional(),
  courage: unit.optional(),
  sociability: unit.optional(),
  greed: unit.optional(),
  curiosity: unit.optional(),
  cunning: unit.optional(),
}).strict();

export type TraitOverrides = z.output<typeof TraitOverridesParamSchema>;

const neutral = new WeakMap<object, Traits>();

/** Neutral traits with the overrides applied (one frozen object per overrides object). */
export function neutralWith(overrides: TraitOverrides | undefined): Traits {
  if (!overrides) return NEUTRAL_TRAITS;
  let t = neutral.get(overrides);
  if (!t) {
    t = Object.freeze({ ...NEUTRAL_TRAITS, ...defined(overrides) });
    neutral.set(overrides, t);
  }
  return t;
}

/** A personality with the overrides applied to its traits. */
export function withOverrides(p: Personality, overrides: TraitOverrides | undefined): Personality {
  return overrides ? { ...p, traits: { ...p.traits, ...defined(overrides) } } : p;
}

function defined(o: TraitOverrides): Partial<Traits> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number') out[k] = v;
  return out as Partial<Traits>;
}
