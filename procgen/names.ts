import type { Rng } from '../shared/index.ts';
import type { NameGrammar } from './speciesTable.ts';

/**
 * A seeded name from a syllable grammar: start + middle × n + end (n from `middleCount`), capitalised,
 * sometimes followed by ` the <title>` (or ` <title>` when the title already starts with "the").
 */
export function rollName(g: NameGrammar, rng: Rng): string {
  let s = rng.pick(g.start);
  const n = g.middle.length > 0 ? rng.int(g.middleCount[0], g.middleCount[1]) : 0;
  for (let i = 0; i < n; i++) s += rng.pick(g.middle);
  s += rng.pick(g.end);
  s = s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
  if (g.titles.length > 0 && rng.chance(g.titleChance)) {
    const t = rng.pick(g.titles);
    s += t.toLowerCase().startsWith('the ') ? ` ${t}` : ` the ${t}`;
  }
  return s;
}
