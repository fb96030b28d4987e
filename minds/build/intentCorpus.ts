import type { Intent } from '../../actors/index.ts';
import { Rng } from '../../shared/index.ts';
import { INTENT_LABELS } from '../catalog.ts';
import { NAME_PARTS, TEMPLATES, WORDS } from './intentTemplates.ts';

/** A made-up proper name: `Thalbrook`, `Corwen`, … */
function madeUpName(rng: Rng): string {
  const s = rng.pick(NAME_PARTS.start) + (rng.chance(0.4) ? rng.pick(NAME_PARTS.mid) : '') + rng.pick(NAME_PARTS.end);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const CONSONANTS = 'bcdfghjklmnpqrstvwxz';
const VOWELS = 'aeiouy';
const KEY_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890'];

/** Nonsense: a pronounceable non-word, a keyboard mash, a run of one letter or random letters. */
function gibberish(rng: Rng): string {
  switch (rng.int(0, 4)) {
    case 0: {
      let s = '';
      const syllables = rng.int(1, 3);
      for (let i = 0; i < syllables; i++) s += rng.pick([...CONSONANTS]) + (rng.chance(0.3) ? rng.pick([...CONSONANTS]) : '') + rng.pick([...VOWELS]) + (rng.chance(0.5) ? rng.pick([...CONSONANTS]) : '');
      return s;
    }
    case 1: {
      const row = rng.pick(KEY_ROWS);
      const start = rng.int(0, row.length - 3);
      return row.slice(start, rng.int(start + 3, row.length));
    }
    case 2:
      return rng.chance(0.5) ? rng.pick([...CONSONANTS, ...VOWELS]).repeat(rng.int(3, 8)) : gibberish(rng).slice(0, rng.int(2, 3)).repeat(rng.int(2, 4));
    default: {
      let s = '';
      const n = rng.int(3, 10);
      for (let i = 0; i < n; i++) s += rng.pick([...CONSONANTS, ...VOWELS, ...VOWELS]);
      return s;
    }
  }
}

/** Expand `{a|b}` alternatives, `[a]` optional parts and `$word` slots (slot values may hold templates too). */
function expand(template: string, rng: Rng): string {
  let s = template;
  for (let depth = 0; depth < 8; depth++) {
    for (let guard = 0; guard < 200 && /[{[]/.test(s); guard++) {
      s = s.replace(/\{([^{}[\]]*)\}|\[([^{}[\]]*)\]/, (_m, alts: string | undefined, opt: string | undefined) => (alts !== undefined ? rng.pick(alts.split('|')) : rng.chance(0.5) ? (opt as string) : ''));
    }
    if (!s.includes('$')) break;
    s = s.replace(/\$(\w+)/g, (_m, key: string) => {
      if (key === 'gname') return madeUpName(rng);
      if (key === 'gibberish') return gibberish(rng);
      return rng.pick(WORDS[key] ?? [key]);
    });
  }
  return s.replace(/\s+/g, ' ').replace(/\s+([,.!?])/g, '$1').replace(/^[,\s]+/, '').trim();
}

// ---- mixed lines: the main intent wins -----------------------------------------------------------------

const REQUESTS: readonly Intent[] = ['askDirections', 'askAboutSelf', 'trade', 'askForHelp'];
const POLITE_OPENERS = ['excuse me', 'pardon me', 'sorry to bother you', 'if you don\'t mind me asking', 'quick question', 'i have a question', 'just wondering', 'forgive me', 'pray tell', 'prithee', 'by the way', 'btw', 'say', 'tell me', 'listen', 'so', 'anyway', 'ok so', 'hey quick question', 'one question', 'i was wondering', 'if i may', 'pardon the intrusion', 'sorry', 'um excuse me', 'i beg your pardon', 'i\'d like to know', 'could you tell me', 'do you mind telling me', 'may i ask', 'i\'m curious', 'would you happen to know', 'i hope you can tell me', 'mind if i ask', 'i was hoping', 'perhaps you could tell me'];
const FLATTERING_ADDRESS = ['o wise one', 'mighty wolf', 'noble beast', 'great one', 'kind sir', 'my good friend', 'good sir', 'fair lady', 'oh great and powerful one', 'wise elder', 'noble creature', 'handsome stranger', 'kind stranger', 'gentle giant', 'oh mighty one', 'friendly beast'];
const SMALL_TALK = ['nice weather today', 'lovely day', 'what a day', 'long day', 'it\'s cold out', 'i\'ve been walking for hours', 'the road was long', 'my feet hurt', 'what a storm last night', 'it\'s getting dark', 'busy day huh', 'quiet around here', 'i just arrived', 'i\'m new in town', 'i\'m not from around here', 'i\'ve been travelling all day', 'sorry, i\'m a bit tired', 'what a view', 'it\'s been a long road', 'lovely evening', 'strange times', 'i\'ve come a long way'];
const THANKS = ['thanks', 'thank you', 'thx', 'ty', 'cheers', 'please', 'pls', 'plz', 'much appreciated', 'if you would', 'if you please', 'i\'d be grateful', 'kindly', 'thanks in advance', 'appreciate it', 'thank you kindly', 'i beg you', 'many thanks', 'ta'];
const SEPARATORS = [', ', '. ', '! ', ' ', ' - ', '... ', '? '];

/** A line of `intent` with a secondary part around it that must not take over (greeting, small talk, thanks…). */
function mixed(intent: Intent, main: string, rng: Rng): string {
  const sep = (): string => rng.pick(SEPARATORS);
  const greeting = (): string => expand(rng.chance(0.6) ? '$hello' : '$hello $addr', rng);
  const options: (() => string)[] = [];
  if (intent !== 'greet' && intent !== 'unknown') options.push(() => greeting() + sep() + main, () => expand('{i|we} {just|} {came|arrived|got here} {from $town|from the $place|today|just now}', rng) + sep() + main);
  if (intent !== 'unknown') options.push(() => rng.pick(SMALL_TALK) + sep() + main, () => main + sep() + rng.pick(SMALL_TALK));
  if (REQUESTS.includes(intent)) {
    options.push(
      () => rng.pick(POLITE_OPENERS) + sep() + main,
      () => rng.pick(FLATTERING_ADDRESS) + ', ' + main,
      () => main + sep() + rng.pick(THANKS),
      () => greeting() + sep() + main + sep() + rng.pick(THANKS),
    );
  }
  if (intent === 'threaten') options.push(() => expand('{you $insultN|$insultN|you $insultAdj $insultN|listen here, $insultN}', rng) + sep() + main, () => main + sep() + expand('{you $insultN|$insultN|you $insultAdj $insultN}', rng));
  if (intent === 'insult') options.push(() => main + sep() + expand('{shut up|go away|get lost|ugh|ew|lol|haha|pfft}', rng), () => expand('{ugh|ew|lol|haha|pfft|wow|look at you}', rng) + sep() + main);
  if (intent === 'flatter') options.push(() => main + sep() + expand('{truly|really|honestly|no lie|i mean it|i swear|it\'s true}', rng), () => greeting() + sep() + main);
  if (intent === 'farewell') options.push(() => expand('{well|ok|okay|alright|right|anyway}', rng) + sep() + main, () => main + sep() + expand('{$addr|friend|and thanks|thanks again|good luck|stay safe}', rng));
  if (intent === 'greet') options.push(() => main + sep() + expand('{i\'m $pname|i am $pname|my name is $pname|good to see you|how are you|how goes it}', rng));
  if (options.length === 0) return main;
  return rng.pick(options)();
}

// ---- surface noise --------------------------------------------------------------------------------------

const FILLERS_BEFORE = ['um', 'uh', 'so', 'well', 'hey', 'ok', 'listen', 'look', 'oh', 'erm', 'say', 'alright', 'right', 'ah', 'hmm', 'okay', 'now', 'yo', 'ahem', 'uhh', 'lol', 'oi', 'and', 'but'];
const FILLERS_AFTER = ['please', 'ok', 'mate', 'then', 'now', 'alright', 'eh', 'pal', 'right', 'lol', 'friend', 'huh', 'yeah', 'ya know', 'haha', 'buddy', 'dude', 'sir', 'man', 'innit', 'aye', 'I guess', 'eh?'];
const ENDINGS = [
  { value: '', weight: 5 }, { value: '.', weight: 2 }, { value: '!', weight: 2 }, { value: '?', weight: 2 }, { value: '!!', weight: 0.5 }, { value: '...', weight: 0.5 },
  { value: '?!', weight: 0.3 }, { value: '??', weight: 0.3 }, { value: ' :)', weight: 0.2 }, { value: ' :(', weight: 0.1 }, { value: ' xD', weight: 0.1 }, { value: ' lol', weight: 0.2 }, { value: '!!!', weight: 0.2 },
];

// Chat-speak, contraction and old-fashioned rewrites; each applies to a match with the given chance.
const TEXTING: readonly [RegExp, readonly string[]][] = [
  [/\byou\b/g, ['u', 'ya', 'yu']], [/\byour\b/g, ['ur', 'yer', 'yor']], [/\byou're\b/g, ['ur', 'youre', 'yr']], [/\bare\b/g, ['r']], [/\bplease\b/g, ['pls', 'plz', 'pleez']],
  [/\bthanks\b/g, ['thx', 'thnx', 'ty', 'thanx']], [/\bthank you\b/g, ['ty', 'thank u', 'thx']], [/\bokay\b/g, ['k', 'ok', 'okey']], [/\bgoing to\b/g, ['gonna']], [/\bwant to\b/g, ['wanna']],
  [/\bgot to\b/g, ['gotta']], [/\bbecause\b/g, ['cuz', 'cos', 'coz']], [/\breally\b/g, ['rly', 'rlly']], [/\bwhat\b/g, ['wat', 'wut', 'wht']], [/\bwhere\b/g, ['whr', 'wher', 'were']],
  [/\bthe\b/g, ['da', 'teh', 'th']], [/\bwith\b/g, ['w', 'wit']], [/\babout\b/g, ['abt', 'bout']], [/\bpeople\b/g, ['ppl']], [/\bknow\b/g, ['kno', 'knw']], [/\band\b/g, ['n', '&', 'an']],
  [/\bgood\b/g, ['gud', 'gd']], [/\bright now\b/g, ['rn']], [/\bto\b/g, ['2', 'ta']], [/\bfor\b/g, ['4', 'fer']], [/\bsee you\b/g, ['cya', 'c u', 'c ya']], [/\bi don't know\b/g, ['idk', 'dunno']],
  [/\bis\b/g, ['iz']], [/\bthat\b/g, ['dat', 'tht']], [/\bthis\b/g, ['dis', 'ths']], [/\bhave\b/g, ['hav', 'hv']], [/\bnight\b/g, ['nite']], [/\btonight\b/g, ['tonite', '2nite']],
  [/\bgreat\b/g, ['gr8']], [/\bmate\b/g, ['m8']], [/\bwhy\b/g, ['y']], [/\bbe\b/g, ['b']], [/\bsomeone\b/g, ['some1', 'sum1']], [/\bsorry\b/g, ['sry', 'soz']], [/\bmessage\b/g, ['msg']],
];
const CONTRACT: readonly [RegExp, readonly string[]][] = [
  [/\bi will\b/g, ['i\'ll', 'ill']], [/\byou are\b/g, ['you\'re', 'youre']], [/\bdo not\b/g, ['don\'t', 'dont']], [/\bi am\b/g, ['i\'m', 'im']], [/\bit is\b/g, ['it\'s', 'its', '\'tis']],
  [/\bwhat is\b/g, ['what\'s', 'whats']], [/\bwhere is\b/g, ['where\'s', 'wheres']], [/\bcannot\b/g, ['can\'t', 'cant']], [/\bi have\b/g, ['i\'ve', 'ive']], [/\bwe are\b/g, ['we\'re']],
  [/\bi'll\b/g, ['i will', 'i shall']], [/\byou're\b/g, ['you are']], [/\bdon't\b/g, ['do not']], [/\bi'm\b/g, ['i am']], [/\bit's\b/g, ['it is']], [/\bwhat's\b/g, ['what is']],
  [/\bwhere's\b/g, ['where is']], [/\bcan't\b/g, ['cannot', 'can not']], [/\bi've\b/g, ['i have']], [/\bwon't\b/g, ['will not']], [/\bisn't\b/g, ['is not']], [/\bthere's\b/g, ['there is']],
];
const ARCHAIC: readonly [RegExp, readonly string[]][] = [
  [/\byou are\b/g, ['thou art', 'ye are', 'you be']], [/\byou're\b/g, ['thou art', 'ye be']], [/\bare you\b/g, ['art thou', 'be ye']], [/\byour\b/g, ['thy', 'thine', 'yer']],
  [/\byou\b/g, ['thee', 'ye', 'thou']], [/\bdoes\b/g, ['doth']], [/\bhas\b/g, ['hath']], [/\bdo you\b/g, ['dost thou']], [/\bhave you\b/g, ['hast thou']], [/\byes\b/g, ['aye', 'yea']],
  [/\bno\b/g, ['nay']], [/\bit is\b/g, ['\'tis', 'tis']], [/\bwhere\b/g, ['whither', 'where']], [/\bhere\b/g, ['hither', 'here']], [/\bplease\b/g, ['prithee', 'i pray thee', 'pray']],
  [/\bhello\b/g, ['hail', 'well met', 'good morrow']], [/\bgoodbye\b/g, ['fare thee well', 'farewell', 'god be with ye']], [/\bmy\b/g, ['mine', 'my']], [/\bbefore\b/g, ['ere']], [/\boften\b/g, ['oft']],
];
// Words that say nothing of the intent, dropped anywhere into lines of every intent so that none of them leans.
const NEUTRAL = ['very', 'really', 'so', 'truly', 'clearly', 'quite', 'just', 'actually', 'totally', 'honestly', 'literally', 'kinda', 'pretty', 'like', 'definitely', 'obviously', 'simply', 'certainly', 'perhaps', 'still', 'even', 'now', 'then', 'here', 'there', 'today', 'again', 'indeed', 'surely', 'rather', 'basically', 'seriously', 'um', 'uh', 'the', 'a', 'and', 'of', 'you know', 'i mean', 'well', 'also', 'too', 'all', 'some', 'this', 'that', 'tonight', 'yet', 'already', 'always', 'never', 'ever'];
const ARCHAIC_OPENERS = ['prithee', 'pray', 'forsooth', 'verily', 'hark', 'good sir', 'lo', 'alas', 'zounds', 'by my troth', 'i say', 'gadzooks', 'hail'];

function rewrite(text: string, rules: readonly [RegExp, readonly string[]][], p: number, rng: Rng): string {
  let s = text;
  for (const [re, subs] of rules) s = s.replace(re, (m) => (rng.chance(p) ? rng.pick(subs) : m));
  return s;
}

const NEAR_KEYS: Record<string, string> = {};
for (const row of ['qwertyuiop', 'asdfghjkl', 'zxcvbnm']) for (let i = 0; i < row.length; i++) NEAR_KEYS[row[i] as string] = (row[i - 1] ?? '') + (row[i + 1] ?? '');

function typo(word: string, rng: Rng): string {
  if (word.length < 3 || !/^[a-z']+$/i.test(word)) return word;
  const i = rng.int(1, word.length - 2);
  switch (rng.int(0, 4)) {
    case 0: return word.slice(0, i) + word.slice(i + 1); // drop
    case 1: return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2); // swap
    case 2: return word.slice(0, i) + (word[i] ?? '') + word.slice(i); // double
    case 3: { // a neighbouring key
      const near = NEAR_KEYS[(word[i] ?? '').toLowerCase()];
      return near ? word.slice(0, i) + rng.pick([...near]) + word.slice(i + 1) : word;
    }
    default: return word.slice(0, word.length - 1); // last letter lost
  }
}

/** Surface noise: register rewrites, fillers, stretched letters, typos, casing and punctuation. */
function perturb(text: string, intent: Intent, rng: Rng): string {
  let s = text;
  const style = rng.next();
  if (style < 0.12) s = rewrite(s, TEXTING, 0.6, rng);
  else if (style < 0.2) s = rewrite(s, ARCHAIC, 0.6, rng);
  else if (style < 0.4) s = rewrite(s, CONTRACT, 0.7, rng);
  if (rng.chance(0.15)) s = s.replace(/'/g, '');
  let words = s.split(/\s+/).filter(Boolean);
  if (style >= 0.12 && style < 0.2 && rng.chance(0.3)) words.unshift(rng.pick(ARCHAIC_OPENERS) + ',');
  else if (rng.chance(0.15)) words.unshift(rng.pick(FILLERS_BEFORE) + (rng.chance(0.5) ? ',' : ''));
  if (rng.chance(0.1)) words.push(rng.pick(FILLERS_AFTER));
  if (rng.chance(0.12)) words.splice(rng.int(0, words.length), 0, rng.pick(NEUTRAL));
  if (intent !== 'unknown' && rng.chance(0.04)) words.splice(rng.int(0, words.length), 0, rng.chance(0.5) ? madeUpName(rng) : gibberish(rng));
  if (words.length > 4 && rng.chance(0.05)) {
    const cut = rng.int(1, words.length - 1);
    words = [...words.slice(cut), ...words.slice(0, cut)];
  }
  if (rng.chance(0.06)) {
    const k = rng.int(0, words.length - 1);
    const w = words[k] as string;
    if (/[a-z]$/i.test(w)) words[k] = w + (w.at(-1) as string).repeat(rng.int(1, 4));
  }
  const typoRate = rng.chance(0.3) ? 0.12 : 0.03;
  words = words.map((w) => (rng.chance(typoRate) ? typo(w, rng) : w));
  s = words.join(' ');
  const casing = rng.next();
  if (casing < 0.08) s = s.toUpperCase();
  else if (casing < 0.5) s = s.charAt(0).toUpperCase() + s.slice(1);
  else if (casing < 0.6) s = s.replace(/\b\w/g, (c) => c.toUpperCase());
  if (/[.!?]$/.test(s)) return s;
  return s + rng.weighted(ENDINGS);
}

/** One labelled line of the corpus. */
export interface IntentExample {
  readonly text: string;
  readonly intent: Intent;
}

/** The key under which two lines count as the same (case and punctuation ignored). */
export const lineKey = (text: string): string => text.toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim();

/**
 * The intent corpus: `perIntent` distinct paraphrases of each intent (a share of them mixed with a greeting,
 * small talk or thanks that must not take over), shuffled and split into a training part and a held-out
 * part (`heldOut` share) that share no line. Deterministic for a seed.
 */
export function intentCorpus(seed: string, perIntent = 5000, heldOut = 0.2): { train: IntentExample[]; test: IntentExample[] } {
  const rng = Rng.create(seed);
  const seen = new Set<string>();
  const all: IntentExample[] = [];
  for (const intent of INTENT_LABELS) {
    const r = rng.fork(intent);
    const templates = TEMPLATES[intent];
    // `unknown` is the broadest intent (anything off-topic), so it gets more lines.
    const want = intent === 'unknown' ? Math.round(perIntent * 1.3) : perIntent;
    let made = 0;
    for (let tries = 0; made < want && tries < want * 30; tries++) {
      let line = expand(r.pick(templates), r);
      if (!line) continue;
      if (r.chance(0.22)) line = mixed(intent, line, r);
      const text = perturb(line, intent, r);
      const key = lineKey(text) || text.trim();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      all.push({ text, intent });
      made++;
    }
  }
  const shuffled = rng.fork('split').shuffle(all);
  const cut = Math.round(shuffled.length * heldOut);
  return { test: shuffled.slice(0, cut), train: shuffled.slice(cut) };
}
