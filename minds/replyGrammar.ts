import type { Intent, Persona, PlayerMemory } from '../actors/index.ts';
import { Rng } from '../shared/index.ts';
import { VOICES } from './catalog.ts';
import type { Voice } from './catalog.ts';
import { MAX_CHAT_CHARS, basicTokens, normalizeChat } from './text.ts';

/** Everything a reply is conditioned on. */
export interface ReplyContext {
  readonly persona: Persona;
  readonly playerName: string;
  /** The player's normalised line. */
  readonly text: string;
  readonly intent: Intent;
  readonly confidence: number;
  /** −1 (hostile) .. 1 (friendly). */
  readonly disposition: number;
  /** What it remembers of this player (null on a first meeting). */
  readonly memory: PlayerMemory | null;
  /** What it can see, in words. */
  readonly sees?: readonly string[];
  /** The name the player gave in this line, if any. */
  readonly givenName?: string;
  /** Places and things this line named. */
  readonly topics?: readonly string[];
}

/** How the NPC stands towards the player for this line. */
export type Stance = 'hostile' | 'wary' | 'friendly';

const SPECIES_VOICE: Record<string, Voice> = {
  wolf: 'growling', boar: 'gruff', goblin: 'cackling', bandit: 'gruff', lizardfolk: 'hissing', scorpion: 'hissing', troll: 'gruff',
  yeti: 'growling', crab: 'whiny', spider: 'hissing', skeleton: 'raspy',
};
const HOSTILE_MOODS = /angry|furious|hostile|mad|grim|irritated|annoyed|hungry|vicious|cruel/i;
const WARM_MOODS = /cheer|happy|friendly|calm|kind|content|jolly|warm|glad/i;
const HOSTILE_INTENTS = new Set<Intent>(['insult', 'threaten']);
const WARM_INTENTS = new Set<Intent>(['greet', 'flatter', 'farewell']);

/** The voice a persona speaks in: its own `voice` when it is a known style, else its species' habit, else `gruff`. */
export function voiceOf(p: Persona): Voice {
  if (p.voice && (VOICES as readonly string[]).includes(p.voice)) return p.voice as Voice;
  return SPECIES_VOICE[p.species ?? ''] ?? 'gruff';
}

/** What the memory says about this player. */
export interface MemorySummary {
  readonly meetings: number;
  readonly grudges: number;
  readonly kindnesses: number;
  /** The player asked the same kind of thing last time. */
  readonly repeated: boolean;
}

export function summarizeMemory(memory: PlayerMemory | null, intent: Intent): MemorySummary {
  if (!memory) return { meetings: 0, grudges: 0, kindnesses: 0, repeated: false };
  let grudges = 0, kindnesses = 0;
  for (const [k, n] of Object.entries(memory.intents)) {
    if (HOSTILE_INTENTS.has(k as Intent)) grudges += n ?? 0;
    else if (WARM_INTENTS.has(k as Intent)) kindnesses += n ?? 0;
  }
  let last: Intent | undefined;
  for (let i = memory.lines.length - 1; i >= 0 && last === undefined; i--) if (memory.lines[i]?.who === 'player') last = memory.lines[i]?.intent;
  return { meetings: memory.exchanges, grudges, kindnesses, repeated: last === intent && intent !== 'unknown' };
}

/** The stance for this line: the disposition, nudged by the persona's mood, what is said now, and old grudges. */
export function stanceOf(c: ReplyContext, mem: MemorySummary): Stance {
  let d = Number.isFinite(c.disposition) ? c.disposition : 0;
  if (HOSTILE_MOODS.test(c.persona.mood)) d -= 0.3;
  else if (WARM_MOODS.test(c.persona.mood)) d += 0.2;
  if (c.intent === 'threaten' || c.intent === 'insult') d -= 0.5;
  if (c.intent === 'flatter' || c.intent === 'greet') d += 0.15;
  d -= Math.min(0.4, mem.grudges * 0.1);
  d += Math.min(0.2, mem.kindnesses * 0.05);
  return d < -0.3 ? 'hostile' : d < 0.3 ? 'wary' : 'friendly';
}

type Lines = Record<Stance, readonly string[]>;

/**
 * Lines per intent and stance. Slots: {name} the NPC, {player}, {role}, {fact} something it knows that fits
 * the question, {lair} what it knows about its home, {mood}.
 */
const LINES: Record<Intent, Lines> = {
  greet: {
    hostile: ['What do you want, {player}?', 'Keep your greetings, {player}. {name} has no use for them.', 'You again. Speak quickly or leave.'],
    wary: ['Hm. Greetings, {player}. I am {name}.', '{name} sees you, {player}. State your business.', 'Well met, I suppose. What brings you here?'],
    friendly: ['Hello, {player}! {name} is glad to see you.', 'Ah, {player}! Welcome, welcome.', 'Greetings, friend {player}. {name} greets you.'],
  },
  threaten: {
    hostile: ['Try it, {player}. {name} has buried braver fools.', 'Threaten {name}? You will regret that, {player}.', 'Come closer and say that again.'],
    wary: ['Careful, {player}. {name} does not scare easily.', 'Big words. Walk away while you still can.', 'I would think twice, {player}.'],
    friendly: ['Ha! You jest, {player}. Surely you jest.', 'Easy, {player}. We are not enemies, you and I.', 'No need for that, {player}. Put it away.'],
  },
  askDirections: {
    hostile: ['Find your own way, {player}.', 'Why should {name} help you? Get lost, and stay lost.', 'Ask someone who likes you.'],
    wary: ['{fact}. That is all I will say.', 'Hm. {fact}. Now go.', 'If you must know: {fact}.'],
    friendly: ['Of course, {player}! {fact}.', 'Happy to help: {fact}. Safe roads!', 'Listen well, {player}: {fact}.'],
  },
  askAboutSelf: {
    hostile: ['Who I am is no business of yours.', 'I am {name}. That is all you get.', 'You will learn who I am soon enough.'],
    wary: ['I am {name}, {role}. {lair}.', 'They call me {name}. {role}, if you must know.', '{name}. {role}. Why do you ask?'],
    friendly: ['I am {name}, {role}! {lair}.', 'Name is {name}, {player}. I am {role}, and I feel {mood} today. {lair}.', 'Me? {name}, {role}. {lair}. And you?'],
  },
  trade: {
    hostile: ['{name} does not trade with the likes of you.', 'Your coin is no good here, {player}.', 'Trade? I would rather take it from your corpse.'],
    wary: ['Show me your coin first, {player}.', 'Perhaps. What do you offer?', 'Trade, hm? Name your price and we shall see.'],
    friendly: ['For you, {player}, a fair price. Let us deal!', 'Ah, a customer! {name} has things worth seeing.', 'Gladly, {player}. What do you need?'],
  },
  flatter: {
    hostile: ['Sweet words will not save you, {player}.', 'Flattery? From you? Hah.', '{name} is not fooled by honeyed words.'],
    wary: ['Hm. Kind words. What do you want?', 'You flatter {name}. Why?', 'Nice of you to say. I am still watching you.'],
    friendly: ['Ha! You are too kind, {player}.', '{name} thanks you, friend.', 'Such words! You are welcome here, {player}.'],
  },
  insult: {
    hostile: ['Say that again and I will tear out your tongue, {player}.', 'You will pay for those words, {player}.', '{name} will remember that insult.'],
    wary: ['Watch your tongue, {player}.', 'Rude. {name} will remember this.', 'Mind your words, stranger.'],
    friendly: ['Hah, still sharp-tongued, {player}? I will let it pass.', 'That stings, {player}. Bad day?', 'Ouch. Not like you, {player}.'],
  },
  farewell: {
    hostile: ['Good riddance.', 'Go, and do not come back.', 'Leave, {player}. Now.'],
    wary: ['Farewell, then.', 'Go safely, {player}.', 'Until next time.'],
    friendly: ['Farewell, {player}! Come back soon.', 'Safe travels, friend {player}.', 'Goodbye, {player}. {name} will remember you kindly.'],
  },
  askForHelp: {
    hostile: ['Help you? Hah! Not in this life.', 'You are on your own, {player}.', 'Why would {name} help you?'],
    wary: ['What trouble have you brought here?', 'Hm. Tell me what you need, quickly.', 'I might help. Might. {fact}.'],
    friendly: ['Of course, {player}! Stay close to {name}.', 'Say no more, friend. {fact}.', '{name} will help you, {player}. What do you need?'],
  },
  unknown: {
    hostile: ['Speak sense or be silent.', 'What? Stop babbling, {player}.', '{name} has no time for riddles.'],
    wary: ['I do not follow you.', 'What do you mean, {player}?', 'Hm? Say that plainly.'],
    friendly: ['I do not quite understand, {player}. Say it again?', 'Eh? You lost me there, friend.', 'Hm, strange words. What do you mean?'],
  },
};

const MEMORY_OPENERS = {
  grudge: ['I remember your words last time, {player}.', 'You have wronged {name} before.', 'Not you again.'],
  fond: ['Good to see you again, {player}.', 'Back again, friend?', 'Ah, my old friend {player}.'],
  repeated: ['You asked me that already.', 'Again? I told you before.', 'Same question, {player}?'],
};

const NAME_OPENERS = {
  hostile: ['{player}. I will remember that name.', '{player}, is it? I will not forget it.'],
  other: ['{player}, is it? Well met.', 'I will remember your name, {player}.', '{player}. A good name.'],
};
const TOPIC_OPENERS = ['The {topic} again, {player}?', 'You spoke of the {topic} before, {player}.', 'Still on about the {topic}, {player}?'];

const DIRECTION_WORDS = /\b(north|south|east|west|road|path|way|river|ford|bridge|left|right|beyond|past|cave|lair|village|town)\b/i;
const LAIR_WORDS = /\b(lair|den|home|nest|cave|live|lives|camp|hollow|burrow)\b/i;

/** The fact that best fits the question: most shared words, else one that sounds like a direction or a home. */
function pickFact(knows: readonly string[], text: string, prefer: RegExp, rng: Rng): string | undefined {
  const facts = knows.map((k) => normalizeChat(k, 160).replace(/[.!?]+$/, '')).filter((k) => k.length > 0);
  if (facts.length === 0) return undefined;
  const asked = new Set(basicTokens(text).filter((w) => w.length > 2));
  let best: string | undefined, bestScore = 0;
  for (const f of facts) {
    let s = 0;
    for (const w of basicTokens(f)) if (asked.has(w)) s += 2;
    if (prefer.test(f)) s += 1;
    if (s > bestScore) { best = f; bestScore = s; }
  }
  return best ?? rng.pick(facts);
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Put a line in the persona's voice. */
export function voiced(line: string, voice: Voice, rng: Rng): string {
  switch (voice) {
    case 'growling': return rng.chance(0.5) ? `Grrr. ${line}` : `${line} *growls*`;
    case 'hissing': return `Sss... ${line.replace(/s(?=\w)/, 'sss')}`;
    case 'whiny': return rng.chance(0.5) ? `Oh, please... ${line}` : `${line} It is not fair, yes?`;
    case 'formal': return rng.chance(0.5) ? `Indeed. ${line}` : `${line} I trust that is clear.`;
    case 'gruff': return rng.chance(0.5) ? `Hmph. ${line}` : line;
    case 'cackling': return `${line} Heh heh heh!`;
    case 'raspy': return `*rattles* ${line.replace(/\.(\s|$)/, '...$1')}`;
  }
}

/**
 * A reply from the grammar: chosen by intent and stance, opened by what the NPC remembers of the player,
 * filled with its name, role, mood and what it knows, and put in its voice. Deterministic for the same context.
 */
export function grammarReply(c: ReplyContext): string {
  const rng = Rng.create(`reply|${c.persona.name}|${c.playerName}|${c.text}|${c.memory?.exchanges ?? 0}`);
  const mem = summarizeMemory(c.memory, c.intent);
  const player = c.givenName ?? c.memory?.givenName ?? c.playerName;
  const stance = stanceOf(c, mem);
  const voice = voiceOf(c.persona);
  const fact = pickFact(c.persona.knows, c.text, c.intent === 'askDirections' ? DIRECTION_WORDS : /./, rng);
  const lair = pickFact(c.persona.knows.filter((k) => LAIR_WORDS.test(k)), c.text, LAIR_WORDS, rng);
  let pool = LINES[c.intent][stance];
  if (!fact) pool = pool.filter((l) => !l.includes('{fact}'));
  if (pool.length === 0) pool = [c.intent === 'askDirections' ? 'I know no roads worth telling, {player}.' : 'I cannot help with that, {player}.'];
  let line = rng.pick(pool);
  let opener = '';
  if (mem.repeated && (c.intent === 'askDirections' || c.intent === 'askAboutSelf' || c.intent === 'trade')) opener = rng.pick(MEMORY_OPENERS.repeated);
  else if (mem.grudges >= 2 && stance !== 'friendly') opener = rng.pick(MEMORY_OPENERS.grudge);
  else if (mem.kindnesses >= 2 && stance === 'friendly' && c.intent === 'greet') opener = rng.pick(MEMORY_OPENERS.fond);
  const newName = c.givenName !== undefined && c.givenName !== c.memory?.givenName;
  const again = c.topics?.find((t) => c.memory?.topics.includes(t));
  if (newName) opener = stance === 'hostile' ? rng.pick(NAME_OPENERS.hostile) : rng.pick(NAME_OPENERS.other);
  else if (!opener && again && c.intent !== 'unknown') opener = rng.pick(TOPIC_OPENERS).replaceAll('{topic}', again);
  if (opener) line = `${opener} ${line}`;
  const filled = line
    .replaceAll('{name}', c.persona.name)
    .replaceAll('{player}', player || 'stranger')
    .replaceAll('{role}', c.persona.role || 'nobody in particular')
    .replaceAll('{mood}', c.persona.mood || 'well')
    .replaceAll('{fact}', fact ?? '')
    .replaceAll('{lair}', cap(lair ?? 'I keep my home to myself'))
    .replace(/: ([a-z])/g, (_m, ch: string) => `: ${ch}`)
    .replace(/(^|[.!?]\s+)([a-z])/g, (_m, pre: string, ch: string) => pre + ch.toUpperCase());
  return normalizeChat(withoutNumbers(voiced(filled, voice, rng)), MAX_CHAT_CHARS);
}

/** Coordinates, ids and other raw numbers a line must never speak (a fact a designer wrote may hold some). */
const RAW_NUMBERS = /[-+]?\d+(?:\.\d+)?(?:\s*[,;/]\s*[-+]?\d+(?:\.\d+)?)*/g;

/** A line with raw numbers replaced by words that say as much as a person would. */
export function withoutNumbers(line: string): string {
  return line.replace(RAW_NUMBERS, (m) => (/[,;/.+-]/.test(m) ? 'hereabouts' : (SMALL_NUMBERS[Number(m)] ?? 'many')));
}

const SMALL_NUMBERS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
