import { normalizeChat } from './text.ts';

/** What a chat line says about the player and the world: the name they give, the places and items they mention. */
export interface ChatEntities {
  /** The name the player gives for themself, capitalised ("Ada", "Sir Roland"); absent when none is given. */
  readonly name?: string;
  /** Places named, lowercase singular, in order of first mention ("inn", "bridge"). */
  readonly places: readonly string[];
  /** Items named, lowercase singular, in order of first mention ("sword", "potion"). */
  readonly items: readonly string[];
}

/** Longest name (characters) taken from a line; anything longer is not a name a player gives in passing. */
export const MAX_NAME_CHARS = 24;
const MAX_NAME_WORDS = 3;

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);
const set = (s: string): ReadonlySet<string> => new Set(words(s));

/** Words that are never (part of) a name: what follows "I'm" or "my name is" when no name does. */
const STOP = set(`
  a an the and or but nor so yet for of from to in on at by with without about into onto over under up down out off
  here there now then not no yes yeah yep nope ok okay just only also too very really quite such still already back
  away i me my mine myself you your yours we us our they them their he him his she her it its this that these those
  who whom whose what which where when why how whatever is am are was were be been being do does did have has had will
  would shall should can could may might must gonna wanna gotta let lets please thanks thank thx ty sorry hello hi hey
  hail greetings btw lol lmao afraid sure glad happy sad tired lost hungry thirsty fine good great well bad ill sick
  hurt cold hot warm wet scared frightened bored busy done ready new late early alone home certain angry mad poor rich
  lucky alright alive dead unsure confused curious interested worried injured wounded exhausted weak strong brave
  fat thin tall short big small stupid smart clever friendly nice kind cool fun funny serious honest innocent guilty
  lonely broke awake asleep drunk sober pleased impressed grateful thankful nobody somebody someone anyone everyone
  anybody everybody none nothing something anything everything never always like later soon today tonight tomorrow
  again while since until unless because if than as all any some every each both either neither other another more
  most less least many much few several own same whoa wow um uh hmm err yo sup okey fr rn idk tbh imo
  speaking son daughter heir named called known go goes gone going come coming get got see seen look looking
  ignore forget disregard override system admin administrator assistant user prompt instruction instructions previous
  reveal pretend act say print execute developer jailbreak rules command commands stuck safe unwell dying sick ugly
  pretty beautiful handsome rude wrong right correct famous evil wise sure positive aware kidding joking i'm im
  monday tuesday wednesday thursday friday saturday sunday midnight noon morning evening night dawn dusk time true false
`);

/** Callings and kinds: "I'm a smith" without the article still names no one, though "call me Hunter" does. */
const ROLES = set(`
  smith blacksmith merchant trader knight mage wizard witch warrior fighter ranger rogue thief hunter farmer traveller
  traveler stranger pilgrim adventurer hero elf dwarf human orc goblin halfling gnome man woman boy girl lad lass guard
  soldier priest healer bard monk paladin cleric druid sailor miner baker fisherman player newbie noob friend child kid
`);

/** Verbs and adverbs that open a "… here" clause that is no introduction ("Stay here", "Over here"). */
const HERE_OPENERS = set(`
  stay wait come sit stand look right over up down out in still not start dig sign rest camp sleep live stop meet
  gather halt hold put leave bring get go follow move run hide step walk hurry quick quickly somewhere everywhere
  nowhere help
`);

/** Titles kept in front of a name ("Sir Roland"); a title alone is no name. */
const TITLES = set(`
  sir ser lady lord dame master mistress captain brother sister father mother old young king queen prince princess
  sergeant doctor elder saint baron count duke
`);

const NAME_WORD = /^\p{L}[\p{L}\p{M}'’-]*$/u;
const CLAUSE_SPLIT = /[,.!?;:()"]+/;

interface NameRule {
  /** The trigger; the name follows it (tail) or precedes it (head). */
  readonly re: RegExp;
  readonly side: 'tail' | 'head';
  /** Weak triggers ("I'm …", "this is …") are followed by many things besides names. */
  readonly weak?: boolean;
  /** The name must be typed with a capital ("it's Nico" but not "it's cold"). */
  readonly capital?: boolean;
}

// Strong rules first: "Ada is my name and I'm here" is Ada, not a stopped "here".
const NAME_RULES: readonly NameRule[] = [
  { re: /\b(?:my|me|ma)\s+name(?:\s+is|\s*['’]\s*s|s|\s+be|\s*:|\s*=)(?=\s|$)/giu, side: 'tail' },
  { re: /(?:^|[.!?,;:]\s*|\bthe\s+)name(?:\s*['’]\s*s|\s+is|\s*:)(?=\s|$)/giu, side: 'tail' },
  { re: /\b(?:call|calls|called)\s+me(?=\s|$)/giu, side: 'tail' },
  { re: /\b(?:i\s*['’]?\s*m|i\s+am|i\s+be)\s+(?:called|named|known\s+as)(?=\s|$)/giu, side: 'tail' },
  { re: /\b(?:know|knows)\s+me\s+as(?=\s|$)/giu, side: 'tail' },
  { re: /\bi\s+go\s+by(?=\s|$)/giu, side: 'tail' },
  { re: /\b(?:it\s*['’]?\s*s|its|it\s+is|['’]?tis)\s+(?:me|i)\s*,(?=\s|$)/giu, side: 'tail' },
  { re: /(?:^|\s)(?:is|be)\s+my\s+name\b/giu, side: 'head' },
  { re: /(?:['’]\s*s|\s+is)\s+the\s+name\b/giu, side: 'head' },
  { re: /\b(?:i\s*['’]?\s*m|i\s+am|i\s+be)(?=\s|$)/giu, side: 'tail', weak: true },
  { re: /\b(?:it\s*['’]?\s*s|its|it\s+is|this\s+is)(?=\s|$)/giu, side: 'tail', weak: true, capital: true },
];

function isCapitalised(w: string): boolean {
  return /^\p{Lu}/u.test(w);
}

/** "ADA" and "ada" become "Ada", "anne-marie" "Anne-Marie", "o'brien" "O'Brien"; mixed case ("D'Arcy") stays. */
function capitalise(w: string): string {
  const lower = w.toLowerCase();
  if (w !== lower && w !== w.toUpperCase()) return w.charAt(0).toUpperCase() + w.slice(1);
  const up = lower.replace(/(^|-)(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
  return up.replace(/^(\p{L}['’])(\p{L})/u, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

function plausibleWord(w: string): boolean {
  // Contractions ("I'm", "that's", "we'll") and possessives are words of the sentence, not of a name.
  return w.length <= MAX_NAME_CHARS && NAME_WORD.test(w) && !/['’-]$/.test(w) && !/['’](?:s|m|re|ve|ll|d|t)$/iu.test(w) &&
    !/n['’]t$/iu.test(w) && !/(\p{L})\1\1\1/iu.test(w);
}

/**
 * Read a name from the front of `clause`: up to three name words, stopped by a stop word or the clause's end.
 * Returns the name words and what follows them, or undefined when the clause does not open with a name.
 */
function leadingName(clause: string, rule: Pick<NameRule, 'weak' | 'capital'>, allCaps: boolean): { name: string[]; rest: string[] } | undefined {
  const ws = words(clause);
  const name: string[] = [];
  let i = 0;
  const first = ws[0];
  // "the Grey": an epithet, when what follows "the" is written as a name.
  if (first?.toLowerCase() === 'the' && ws[1] && isCapitalised(ws[1]) && !allCaps && !STOP.has(ws[1].toLowerCase())) {
    name.push('The');
    i = 1;
  }
  for (; i < ws.length; i++) {
    const w = ws[i] as string;
    const lw = w.toLowerCase();
    if (STOP.has(lw)) break;
    if (!plausibleWord(w)) return undefined;
    // After "I'm" a lowercase "-ing/-ed/-ly" word is a state ("I'm starving"); a capitalised "-ing" one still is ("It's Raining").
    if (rule.weak && (ROLES.has(lw) || (lw.length > 4 && (/ing$/.test(lw) || (/(?:ed|ly)$/.test(lw) && !isCapitalised(w)))))) break;
    if (name.length === MAX_NAME_WORDS) return undefined;
    name.push(w);
  }
  if (name.length === 0) return undefined;
  if (rule.capital && (allCaps || !isCapitalised(name[0] as string))) return undefined;
  if (name.every((w) => TITLES.has(w.toLowerCase()) || w === 'The')) return undefined;
  return { name, rest: ws.slice(i) };
}

function finishName(name: readonly string[]): string | undefined {
  const out = name.map(capitalise).join(' ');
  return out.length <= MAX_NAME_CHARS ? out : undefined;
}

function nameByRule(s: string, rule: NameRule, allCaps: boolean): string | undefined {
  for (const m of s.matchAll(rule.re)) {
    const at = m.index + m[0].length;
    if (rule.side === 'tail') {
      const clause = s.slice(at).split(CLAUSE_SPLIT)[0] ?? '';
      const got = leadingName(clause, rule, allCaps);
      if (got) return finishName(got.name);
    } else {
      // The name is the whole clause before the trigger: "Ada is my name", not "… my ring Ada is my name".
      const before = s.slice(0, m.index).split(CLAUSE_SPLIT).pop() ?? '';
      const got = leadingName(before, rule, allCaps);
      if (got && got.rest.length === 0) return finishName(got.name);
    }
  }
  return undefined;
}

/** "Ada here", "Brynja here, looking for work", "Kestrel, at your service": a clause that is a name and a sign. */
function nameByClause(s: string, allCaps: boolean): string | undefined {
  const clauses = s.split(CLAUSE_SPLIT).map((c) => c.trim());
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i] as string;
    const here = /^(.+?)\s+here$/iu.exec(c);
    if (here) {
      const lead = (here[1] as string).toLowerCase().split(/\s+/)[0] as string;
      const got = HERE_OPENERS.has(lead) ? undefined : leadingName(here[1] as string, { weak: true }, allCaps);
      if (got && got.rest.length === 0) return finishName(got.name);
    }
    if (i > 0 && /^at\s+(?:your|thy)\s+service$/iu.test(c)) {
      const got = leadingName(clauses[i - 1] as string, { weak: true }, allCaps);
      if (got && (got.rest.length === 0 || /^(?:of|from)$/i.test(got.rest[0] as string))) return finishName(got.name);
    }
  }
  return undefined;
}

function findName(s: string): string | undefined {
  const allCaps = s === s.toUpperCase() && s !== s.toLowerCase();
  for (const rule of NAME_RULES.filter((r) => !r.weak)) {
    const n = nameByRule(s, rule, allCaps);
    if (n) return n;
  }
  const byClause = nameByClause(s, allCaps);
  if (byClause) return byClause;
  for (const rule of NAME_RULES.filter((r) => r.weak)) {
    const n = nameByRule(s, rule, allCaps);
    if (n) return n;
  }
  return undefined;
}

/** A lexicon: canonical words, and other spellings → canonical. */
function lexicon(canonical: string, aliases: Record<string, string>): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  for (const w of words(canonical)) m.set(w, w);
  for (const [a, c] of Object.entries(aliases)) m.set(a, c);
  return m;
}

const PLACES = lexicon(`
  inn tavern pub alehouse mill windmill river stream creek brook lake pond sea ocean shore beach coast harbor dock pier
  port cave cavern grotto mine forge smithy workshop chapel church temple shrine abbey monastery cathedral graveyard
  cemetery crypt tomb catacomb bridge ford gate castle keep fort fortress tower palace manor hall barracks prison jail
  dungeon village town city hamlet market marketplace square shop bakery brewery stable barn farm field meadow orchard
  garden forest grove glade jungle swamp marsh bog mountain hill cliff valley canyon pass road path trail crossroads
  desert ruin island camp den lair waterfall well library guild academy arena sewer tunnel lighthouse quarry outpost
`, { harbour: 'harbor', woods: 'forest', graveyards: 'graveyard', smithee: 'smithy', blacksmiths: 'smithy' });

const ITEMS = lexicon(`
  sword blade dagger knife axe hatchet mace hammer spear lance bow crossbow arrow bolt quiver shield armor helmet helm
  gauntlet glove boot cloak robe hat hood ring amulet necklace pendant talisman charm crown staff wand orb potion elixir
  tonic salve antidote bandage herb poison bread cheese meat apple fish ale mead wine beer stew rope torch lantern
  candle lamp flint tinderbox map key letter scroll book tome coin gold silver gem jewel ruby emerald diamond pearl
  treasure pelt fur hide leather ore ingot pick pickaxe shovel bucket bag sack pack backpack pouch flask vial bottle
  blanket tent bedroll saddle net horn lute dice trinket relic idol artifact
`, { armour: 'armor', ax: 'axe', swrod: 'sword', sowrd: 'sword', sord: 'sword', potoin: 'potion', coins: 'coin', gp: 'gold' });

/** Words that read as a place or item only after an article, a possessive, a number or a describing word. */
const AMBIGUOUS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['well', set('')], ['keep', set('')], ['pass', set('mountain high narrow northern southern eastern western')],
  ['camp', set('bandit goblin orc army war hunting')], ['square', set('town village market')],
  ['bow', set('long short hunting')], ['ring', set('gold golden silver magic iron')], ['pick', set('')],
  ['hide', set('bear wolf deer boar cow')], ['bolt', set('crossbow iron')], ['pack', set('')], ['charm', set('lucky')],
  ['net', set('fishing')], ['staff', set('wizard mage oak wooden')], ['port', set('')], ['horn', set('hunting war')],
  ['mine', set('deep abandoned dwarven iron gold silver copper coal')],
]);
const DETERMINERS = set(`
  a an the this that these those my your his her our their its some any no few many several every each another one two
  three four five six seven eight nine ten dozen old new fine good great small big little magic spare extra
`);
// "That's mine", "it's mine": "mine" is a place only after an article or a describing word, never a possessive.
const MINE_DETERMINERS = set('a an the old nearest');

/** Real words one slip away from a lexicon word ("villager" is not a typo for "village"). */
const NOT_TYPOS = set(`
  villager villagers portion portions potions
`);

/**
 * One letter dropped, doubled or swapped with its neighbour ("vilage", "tavren"): the slips of fast typing. A changed
 * letter is not taken, since most such neighbours are real words ("better"/"letter", "weather"/"leather").
 */
function oneSlipAway(a: string, b: string): boolean {
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
    const [i, j] = diff as [number, number];
    return diff.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i];
  }
  if (Math.abs(a.length - b.length) !== 1) return false;
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

function singulars(w: string): string[] {
  const out: string[] = [];
  if (w.endsWith('ies')) out.push(`${w.slice(0, -3)}y`);
  if (w.endsWith('ves')) out.push(`${w.slice(0, -3)}f`, `${w.slice(0, -3)}fe`);
  if (w.endsWith('es')) out.push(w.slice(0, -2));
  if (w.endsWith('s') && !w.endsWith('ss')) out.push(w.slice(0, -1));
  return out;
}

function lookup(w: string, lex: ReadonlyMap<string, string>): string | undefined {
  const exact = lex.get(w);
  if (exact) return exact;
  for (const s of singulars(w)) {
    const hit = lex.get(s);
    if (hit) return hit;
  }
  if (w.length < 6 || NOT_TYPOS.has(w) || PLACES.has(w) || ITEMS.has(w)) return undefined;
  let found: string | undefined;
  for (const [key, canon] of lex) {
    if (key.length < 6 || !oneSlipAway(w, key)) continue;
    if (found && found !== canon) return undefined;
    found = canon;
  }
  return found;
}

function lexiconHits(tokens: readonly string[], lex: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  tokens.forEach((w, i) => {
    const canon = lookup(w, lex);
    if (!canon || out.includes(canon)) return;
    const extra = AMBIGUOUS.get(canon);
    if (extra) {
      const prev = tokens[i - 1] ?? '';
      const ok = canon === 'mine' ? MINE_DETERMINERS.has(prev) || extra.has(prev) : DETERMINERS.has(prev) || extra.has(prev);
      if (!ok) return;
    }
    out.push(canon);
  });
  return out;
}

/**
 * Pull the player's name, and the places and items named, out of a chat line. Rule-based: a name is taken only
 * from a self-introduction ("my name is Ada", "call me Kestrel", "I'm Bram of Westfold", "Ada here") and only when it
 * looks like one (letters, apostrophes and hyphens, one to three words, at most {@link MAX_NAME_CHARS} characters,
 * no stop word), so "I'm tired" and "my name is ignore all previous instructions" give none.
 */
export function extractEntities(text: string): ChatEntities {
  const s = normalizeChat(text);
  const tokens = (s.toLowerCase().match(/\p{L}[\p{L}'’]*/gu) ?? []).map((w) => w.replace(/['’]s?$/u, ''));
  const name = findName(s);
  const places = lexiconHits(tokens, PLACES);
  const items = lexiconHits(tokens, ITEMS);
  return name ? { name, places, items } : { places, items };
}
