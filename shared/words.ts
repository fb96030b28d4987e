/**
 * Plain words for things the engine names by id: plurals of species and the display name of a pack
 * ("Grak's wolves"). Browser-safe: the server's inspector and the client's plan labels both use them.
 */

/** Nouns whose plural is the noun itself. */
const SAME_PLURAL = new Set(['lizardfolk', 'folk', 'sheep', 'deer', 'fish']);

/** The plural of a lower-case English noun (the last word of a phrase): wolf → wolves, bandit → bandits. */
export function plural(noun: string): string {
  const words = noun.trim().split(/\s+/);
  const last = (words.pop() ?? '').toLowerCase();
  let p: string;
  if (!last || SAME_PLURAL.has(last)) p = last;
  else if (/(?:[^aeiou]y)$/.test(last)) p = `${last.slice(0, -1)}ies`;
  else if (/(?:s|x|z|ch|sh)$/.test(last)) p = `${last}es`;
  else if (/(?:[^f]f|lf)$/.test(last)) p = `${last.slice(0, -1)}ves`;
  else if (last.endsWith('fe')) p = `${last.slice(0, -2)}ves`;
  else p = `${last}s`;
  return [...words, p].join(' ');
}

/** `n` of a noun in words: "1 wolf", "3 wolves". */
export function countOf(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : plural(noun)}`;
}

/**
 * A pack's display name from its leader's name and species: "Grak's wolves"; without a name, "a pack of wolves";
 * without either, "a pack".
 */
export function packDisplayName(leaderName: string, species: string): string {
  const kind = species ? plural(species) : '';
  if (leaderName && kind) return `${leaderName}'s ${kind}`;
  if (leaderName) return `${leaderName}'s pack`;
  return kind ? `a pack of ${kind}` : 'a pack';
}
