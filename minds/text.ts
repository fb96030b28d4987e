/** Longest chat line (characters) the minds read or write. */
export const MAX_CHAT_CHARS = 280;

/**
 * Normalise a chat line: Unicode NFKC, control and zero-width characters removed, whitespace collapsed,
 * trimmed, cut to {@link MAX_CHAT_CHARS} characters (at a word boundary when one is near).
 */
export function normalizeChat(text: unknown, max = MAX_CHAT_CHARS): string {
  if (typeof text !== 'string') return '';
  let s = text.normalize('NFKC').replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, ' ').replace(/\s+/g, ' ').trim();
  if (s.length > max) {
    const cut = s.lastIndexOf(' ', max);
    s = s.slice(0, cut > max * 0.7 ? cut : max).trimEnd();
  }
  return s;
}

/** Reserved token ids of the intent tokenizer. */
export const PAD_ID = 0;
export const UNK_ID = 1;
/** Longest token sequence fed to the intent model. */
export const MAX_TOKENS = 64;

// The punctuation class of transformers.js's BertPreTokenizer: Unicode punctuation plus all ASCII symbols.
const PUNCT = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PIECES = new RegExp(`[^\\s${PUNCT}]+|[${PUNCT}]`, 'gu');

/** Split text the way a `BertPreTokenizer` does: on whitespace, each punctuation character its own token. Case is kept. */
export function bertPieces(text: string): string[] {
  return text.match(PIECES) ?? [];
}

/**
 * Split text the way the `BertNormalizer` + `BertPreTokenizer` of the intent model's tokenizer.json do:
 * lowercase, accents stripped, split on whitespace, each punctuation character its own token.
 */
export function basicTokens(text: string): string[] {
  return bertPieces(text.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, ''));
}

/** Token ids of `text` for a whole-word vocabulary (unknown words → [UNK]), at most {@link MAX_TOKENS}. */
export function tokenIds(text: string, vocab: ReadonlyMap<string, number>): number[] {
  return basicTokens(text).slice(0, MAX_TOKENS).map((w) => vocab.get(w) ?? UNK_ID);
}
