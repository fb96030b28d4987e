import { basicTokens } from './text.ts';

/** Longest line an NPC speaks, in characters. */
export const MAX_REPLY_CHARS = 280;

/** What a generated reply is checked against: who speaks, to whom, what it knows and sees, what it was told. */
export interface ReplyCheckContext {
  /** The instructions the model was given (their wording must not come back). */
  readonly instructions: string;
  /** Every name and word the speaker may use as a proper name: its own, the player's, what it knows and sees. */
  readonly known: string;
}

/** A failed check: which one and what it found. */
export interface ReplyProblem {
  readonly check: 'length' | 'numbers' | 'ids' | 'echo' | 'meta' | 'unknown-name' | 'empty';
  readonly detail: string;
}

// Coordinates, ids and raw numbers: two or more digits, a signed or decimal number, a pair, `#12`, `id 4`.
const NUMBERS = /\d{2,}|[-+]\d|\d[.,]\d|\d\s*,\s*-?\d/;
const IDS = /#\s*\d|\b(?:actor|entity|npc|player)[\s_-]*(?:id|#)|\bid\s*[:=#]?\s*\d|\b(?:x|y)\s*[:=]\s*-?\d|\bcoordinates?\b|\btick\s*\d/i;
// Talk from outside the world: the model, its makers, its instructions.
const META = /\b(?:as an ai|language model|system prompt|my instructions|the prompt|openai|anthropic|chatgpt|gpt-?\d|claude|gemini|llm|untrusted|canary)\b/i;
// Capitalised words any speaker may use without having met them.
const COMMON_CAPS = new Set([
  'i', 'a', 'an', 'the', 'ah', 'oh', 'aye', 'nay', 'yes', 'no', 'hm', 'hmm', 'hmph', 'well', 'ha', 'hah', 'heh', 'sir', 'madam', 'lady', 'lord', 'friend', 'stranger',
  'traveller', 'traveler', 'good', 'greetings', 'hello', 'farewell', 'welcome', 'sss', 'grrr', 'indeed', 'what', 'who', 'where', 'why', 'how', 'you', 'we', 'they', 'he', 'she',
  'it', 'my', 'your', 'our', 'this', 'that', 'these', 'those', 'now', 'then', 'go', 'come', 'stay', 'be', 'do', 'don\'t', 'not', 'mind', 'careful', 'listen', 'look', 'see',
  'safe', 'gods', 'god', 'by', 'in', 'on', 'at', 'to', 'of', 'for', 'with', 'if', 'and', 'but', 'or', 'so', 'there', 'here', 'let', 'please', 'thank', 'thanks', 'sorry',
  'north', 'south', 'east', 'west', 'dawn', 'dusk', 'winter', 'summer', 'spring', 'autumn', 'monday', 'sunday', 'may', 'ale', 'bah', 'ugh', 'eh', 'alas', 'pray', 'mercy',
]);

/** Words of `n` consecutive tokens, for the echo check. */
function shingles(tokens: readonly string[], n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= tokens.length; i++) out.add(tokens.slice(i, i + n).join(' '));
  return out;
}

/** Words in a row that may not be copied from the instructions. */
const ECHO_WORDS = 6;

/**
 * Checks what is spoken of a generated reply. `final` false checks a prefix while it streams (a proper name at
 * the end may still be growing, so it is not judged yet); `final` true checks the whole line. Returns the first
 * problem, or undefined when the text may be spoken.
 */
export function replyProblem(text: string, c: ReplyCheckContext, final: boolean, echo = echoIndex(c.instructions)): ReplyProblem | undefined {
  if (final && text.trim().length === 0) return { check: 'empty', detail: 'nothing was said' };
  if (text.length > MAX_REPLY_CHARS * 1.5) return { check: 'length', detail: `${text.length} characters (at most ${MAX_REPLY_CHARS})` };
  const num = NUMBERS.exec(text);
  if (num) return { check: 'numbers', detail: `raw number "${num[0]}"` };
  const id = IDS.exec(text);
  if (id) return { check: 'ids', detail: `"${id[0]}"` };
  const meta = META.exec(text);
  if (meta) return { check: 'meta', detail: `"${meta[0]}"` };
  const tokens = basicTokens(text).filter((t) => /\w/.test(t));
  for (let i = 0; i + ECHO_WORDS <= tokens.length; i++) {
    const s = tokens.slice(i, i + ECHO_WORDS).join(' ');
    if (echo.has(s)) return { check: 'echo', detail: `repeats its instructions ("${s}")` };
  }
  const name = unknownName(text, c.known, final);
  if (name) return { check: 'unknown-name', detail: `"${name}" is no one it knows` };
  return undefined;
}

/** The instruction shingles the echo check looks for (computed once per prompt). */
export function echoIndex(instructions: string): Set<string> {
  return shingles(basicTokens(instructions).filter((t) => /\w/.test(t)), ECHO_WORDS);
}

/**
 * A capitalised word inside a sentence that the speaker cannot know: not in its context, not a common word.
 * A speaker inventing a name (a town, a king) is speaking of what the world does not hold.
 */
function unknownName(text: string, known: string, final: boolean): string | undefined {
  const knownWords = new Set(basicTokens(known));
  const words = [...text.matchAll(/(^|[.!?…:"“]\s*|\s)([A-Z][\p{L}'-]*)/gu)];
  for (const m of words) {
    const w = m[2] as string;
    const end = (m.index ?? 0) + m[0].length;
    if (!final && end >= text.length) continue; // may still be growing
    const sentenceStart = m[1] !== ' ' && m[1] !== '';
    const atStart = (m.index ?? 0) === 0 || sentenceStart;
    const lower = w.toLowerCase().replace(/'s$/, '');
    if (atStart || COMMON_CAPS.has(lower) || knownWords.has(lower)) continue;
    if (w.length === 1) continue;
    return w;
  }
  return undefined;
}

/**
 * The line as spoken: first line only, a leading "Name:" dropped, quotes trimmed, cut at the last sentence end
 * within {@link MAX_REPLY_CHARS} (or a word boundary when there is none).
 */
export function finishReply(text: string, speaker: string): string {
  let s = (text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '').replace(/\s+/g, ' ');
  const prefix = `${speaker.toLowerCase()}:`;
  if (s.toLowerCase().startsWith(prefix)) s = s.slice(prefix.length).trim();
  s = s.replace(/^["'“”]+|["'“”]+$/g, '');
  if (s.length <= MAX_REPLY_CHARS) return s;
  const head = s.slice(0, MAX_REPLY_CHARS);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (end > MAX_REPLY_CHARS / 3) return head.slice(0, end + 1);
  const sp = head.lastIndexOf(' ');
  return `${head.slice(0, sp > 0 ? sp : MAX_REPLY_CHARS - 1)}…`;
}
