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
// CJK ideographs in the BMP, which the BertNormalizer sets apart with spaces (it reads UTF-16 units, so only these).
const CJK = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF]/g;

/** Split text the way a `BertPreTokenizer` does: on whitespace, each punctuation character its own token. Case is kept. */
export function bertPieces(text: string): string[] {
  return text.match(PIECES) ?? [];
}

/**
 * Split text the way the `BertNormalizer` + `BertPreTokenizer` of the intent model's tokenizer.json do:
 * lowercase, accents stripped, CJK ideographs set apart, split on whitespace, each punctuation character its own token.
 */
export function basicTokens(text: string): string[] {
  const s = text.replace(/[\u0000\uFFFD]/g, '').replace(CJK, ' $& ').toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
  return bertPieces(s);
}

/** Prefix of a WordPiece piece that continues a word. */
export const CONTINUATION = '##';
/** Words longer than this (in code points) are one [UNK], as in the WordPiece model of tokenizer.json. */
export const MAX_WORD_CHARS = 100;

/**
 * WordPiece pieces of one word: greedy longest match from the left, later pieces with the `##` prefix; the
 * whole word is `[UNK]` when some part of it matches no piece. `skipWhole` refuses the whole word as one piece
 * (training uses it to teach the model what the parts of a known word mean when the word itself is unseen).
 */
export function wordPieces(word: string, vocab: ReadonlyMap<string, number>, skipWhole = false): number[] {
  const chars = [...word];
  if (chars.length > MAX_WORD_CHARS) return [UNK_ID];
  const out: number[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = chars.length;
    if (skipWhole && start === 0 && end > 1) end--;
    let id: number | undefined;
    while (start < end) {
      const piece = (start > 0 ? CONTINUATION : '') + chars.slice(start, end).join('');
      id = vocab.get(piece);
      if (id !== undefined) break;
      end--;
    }
    if (id === undefined) return [UNK_ID];
    out.push(id);
    start = end;
  }
  return out;
}

// The special tokens of the intent tokenizer: typed literally, each is that token (tokenizer.json `added_tokens`).
const SPECIAL = /(\[PAD\]|\[UNK\])/;

/**
 * Token ids of `text` under the intent tokenizer (BERT normaliser and pre-tokeniser, WordPiece over `vocab`),
 * cut to {@link MAX_TOKENS} as the pipeline truncates. The same ids transformers.js gives.
 */
export function tokenIds(text: string, vocab: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  for (const part of text.split(SPECIAL)) {
    if (part === '[PAD]' || part === '[UNK]') {
      out.push(vocab.get(part) ?? UNK_ID);
      continue;
    }
    for (const w of basicTokens(part)) {
      for (const id of wordPieces(w, vocab)) out.push(id);
      if (out.length >= MAX_TOKENS) break;
    }
    if (out.length >= MAX_TOKENS) break;
  }
  return out.slice(0, MAX_TOKENS);
}
