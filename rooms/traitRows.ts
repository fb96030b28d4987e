import { neutralWith, traitEffects, TRAIT_NAMES } from '../actors/index.ts';
import type { TraitEffectParams, TraitOverrides, Traits } from '../actors/index.ts';
import type { Row } from './inspectionWords.ts';

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const tiles = (v: number): string => `${v.toFixed(1)} tiles`;

/**
 * A monster's traits and, next to them, what each changes in its reflexes (the numbers the monster itself uses):
 * "flees below 31% hp (courage 0.42)", "engages within 6.2 tiles … (aggression 0.30)", "keeps within 3.5 tiles of
 * its pack (sociability 0.80)", "flanks 45° off the line (cunning 0.50)". Before its personality arrives (or
 * without one) it runs on middling traits with the designer's overrides, and says so.
 */
export function traitRows(params: unknown, personality: unknown): Row[] {
  const p = params as Partial<TraitEffectParams> & { traits?: TraitOverrides } | null;
  if (!p || !num(p.perception) || !num(p.leash) || !num(p.fleeBelow)) return [];
  const own = (personality as { traits?: Partial<Traits> } | null)?.traits;
  const fromPersonality = !!own && TRAIT_NAMES.every((k) => num(own[k]));
  const traits: Traits = fromPersonality ? (own as Traits) : neutralWith(p.traits);
  const forced = p.traits ? TRAIT_NAMES.filter((k) => num(p.traits?.[k])) : [];
  const note = fromPersonality ? '' : ` (no personality: middling${forced.length ? `, ${forced.join(', ')} set by the designer` : ''})`;
  const t = (k: keyof Traits): string => `${k} ${traits[k].toFixed(2)}`;
  const e = traitEffects(traits, { perception: p.perception, leash: p.leash, fleeBelow: p.fleeBelow });
  const keeps: string[] = [];
  if (e.keepWithin !== Infinity) keeps.push(`within ${tiles(e.keepWithin)} of its pack`);
  if (e.keepApart > 0) keeps.push(`${tiles(e.keepApart)} away from its pack mates`);
  if (e.waitSpeed < 1) keeps.push(`slows to ${Math.round(e.waitSpeed * 100)}% in a chase for a mate that lags`);
  return [
    { label: 'traits', value: TRAIT_NAMES.map(t).join(', ') + note },
    { label: 'flees', value: `below ${Math.round(e.fleeBelow * 100)}% hp (${t('courage')})` },
    { label: 'engages', value: `within ${tiles(e.engageRange)} of a foe, chases it up to ${tiles(e.leash)} (${t('aggression')})` },
    { label: 'keeps', value: `${keeps.length ? keeps.join('; ') : 'no particular distance to its pack'} (${t('sociability')})` },
    { label: 'flanks', value: `${Math.round((e.flankAngle * 180) / Math.PI)}° off the line when it flanks (${t('cunning')})` },
  ];
}
