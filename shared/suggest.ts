import { distance } from 'fastest-levenshtein';

/** Letters only, lower case: `lair_room`, `Lair-Room` and `lairRoom` are the same word to a reader. */
const fold = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');

/** Most edits a guess may be away from `word` and still be offered, by the guess's length. */
function tolerance(length: number): number {
  if (length <= 3) return 1;
  if (length <= 6) return 2;
  return 3;
}

/**
 * The candidate a person most likely meant when they wrote `word` (`Wolf` → `wolf`, `wrold` → `world`,
 * `specie` → `species`), or undefined when none is close enough to be worth offering. A match that differs only
 * in case, `-`, `_` or spaces wins; otherwise the nearest by edit distance, within 1 edit for words of up to
 * 3 letters, 2 up to 6 letters and 3 beyond (the first candidate wins a tie).
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = fold(word);
  if (!w) return undefined;
  const others = candidates.filter((c) => c !== word);
  const same = others.find((c) => fold(c) === w);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of others) {
    const d = distance(w, fold(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(tolerance(w.length), w.length - 1, fold(best).length - 1);
  return bestDistance <= limit ? best : undefined;
}
