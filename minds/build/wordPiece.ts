import { CONTINUATION } from '../text.ts';

/** Characters every vocabulary holds, as first and as continuing pieces, so that no ASCII word becomes [UNK]. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const join = (a: string, b: string): string => a + (b.startsWith(CONTINUATION) ? b.slice(CONTINUATION.length) : b);
const pairKey = (a: string, b: string): string => `${a} ${b}`;

/**
 * Learn WordPiece pieces from word counts the way the Hugging Face trainer does: start from single characters
 * (later ones with the `##` prefix) and repeatedly merge the most frequent adjacent pair until `size` pieces
 * exist or no pair occurs `minCount` times. Deterministic: ties go to the lexically smaller pair. Returns the
 * pieces (alphabet first, then merges in the order they were made), without special tokens.
 */
export function learnWordPieces(counts: ReadonlyMap<string, number>, size: number, minCount = 2): string[] {
  const words = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([w, c]) => ({ syms: [...w].map((ch, i) => (i ? CONTINUATION + ch : ch)), count: c }));
  const alphabet = new Set<string>();
  for (const ch of ALPHABET) alphabet.add(ch).add(CONTINUATION + ch);
  for (const w of words) for (const s of w.syms) alphabet.add(s);
  const pieces = [...alphabet].sort();
  const known = new Set(pieces);

  const pairCount = new Map<string, number>();
  const pairWords = new Map<string, Set<number>>();
  const addPairs = (wi: number, sign: number): void => {
    const w = words[wi] as { syms: string[]; count: number };
    for (let i = 0; i + 1 < w.syms.length; i++) {
      const k = pairKey(w.syms[i] as string, w.syms[i + 1] as string);
      pairCount.set(k, (pairCount.get(k) ?? 0) + sign * w.count);
      if (sign > 0) {
        let set = pairWords.get(k);
        if (!set) pairWords.set(k, (set = new Set()));
        set.add(wi);
      }
    }
  };
  words.forEach((_, wi) => addPairs(wi, 1));

  while (pieces.length < size) {
    let best: string | undefined;
    let bestCount = minCount - 1;
    for (const [k, c] of pairCount) if (c > bestCount || (c === bestCount && best !== undefined && k < best)) [best, bestCount] = [k, c];
    if (best === undefined) break;
    const [a, b] = best.split(' ') as [string, string];
    const merged = join(a, b);
    for (const wi of [...(pairWords.get(best) ?? [])].sort((x, y) => x - y)) {
      const w = words[wi] as { syms: string[]; count: number };
      addPairs(wi, -1);
      const out: string[] = [];
      for (let i = 0; i < w.syms.length; i++) {
        if (w.syms[i] === a && w.syms[i + 1] === b) {
          out.push(merged);
          i++;
        } else out.push(w.syms[i] as string);
      }
      w.syms = out;
      addPairs(wi, 1);
    }
    pairCount.delete(best);
    pairWords.delete(best);
    for (const [k, c] of pairCount) if (c <= 0) pairCount.delete(k);
    if (!known.has(merged)) {
      known.add(merged);
      pieces.push(merged);
    }
  }
  return pieces;
}
