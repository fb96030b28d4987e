import type { Intent } from '../../actors/index.ts';
import { Rng } from '../../shared/index.ts';
import { INTENT_LABELS } from '../catalog.ts';

/**
 * Templates per intent. `{a|b|c}` picks one alternative (nesting allowed, an empty alternative drops the
 * slot); `$place`, `$thing`, `$name`, `$insult`, `$praise`, `$threat` draw from the word lists below.
 */
const TEMPLATES: Record<Intent, readonly string[]> = {
  greet: [
    '{hello|hi|hey|greetings|hail|howdy|good {morning|evening|day|afternoon}|well met|salutations|yo|heya|hiya}{| there| $name| friend| stranger| traveller| all}',
    '{hello|hi|hey|greetings|hail}{,|} {how are you|how do you do|how goes it|nice to meet you|good to see you|how are things}',
    '{nice|good|pleased|glad} to {meet|see} you{| $name| again}',
    '{well|oh} {hello|hi|hey} {there|you}',
    '{good day|greetings|hail} to you{| $name| sir| madam}',
    "{what's up|sup|how's it going|how are you doing|how have you been}{| $name| friend}",
    '{i|we} {greet|salute} you{| $name}',
    '{ahoy|hail} {there|friend|stranger}',
  ],
  threaten: [
    "{i'll|i will|i'm going to|i am gonna|gonna} {kill|gut|skin|crush|destroy|end|slay|burn|stab|smash} you{| $name| right now| slowly}",
    '{hand over|give me|drop} {your $thing|everything|the loot|your coin|your gold} or {die|you die|else|i cut you|face my blade}',
    '{you will|you are going to|you gonna} {die|bleed|suffer|regret this|pay for this}{| today| soon| by my hand}',
    '{back off|stand down|get back|step aside|move} or {i strike|you die|i will hurt you|you are dead|i kill you}',
    "{prepare|get ready} to {die|fight|meet your end|be destroyed}",
    "$threat{| $name}",
    '{one more step|one more word|say that again} and {you are dead|i kill you|i cut you down|your head rolls}',
    "{i'll|i will} {burn|raze|destroy|wreck} your {lair|den|home|camp|nest}",
    "{don't|do not} make me {hurt|kill|cut|end} you",
    '{surrender|yield|kneel} or {die|perish|face my wrath}',
  ],
  askDirections: [
    '{where|which way} is the $place{| from here| please}',
    '{how do i|how can i|how would i|can you tell me how to} {get|go|reach|find the way} to the $place',
    '{which way|what way|what direction} {to|for} the $place',
    '{can|could|would} you {show|tell|point} me the {way|path|road|direction} to the $place',
    '{i am|im|i\'m} {lost|looking for the $place|trying to find the $place}',
    '{where can i find|where do i find|where might i find|where lies} the $place',
    '{is|are} the $place {near|nearby|close|far|around here|this way}',
    '{do you know|you know} {where|the way to} the $place{| is}',
    '{directions|the way|a map|the road} to the $place{| please}',
    '{where am i|where are we|what is this place|which road leads out}',
    '{which|what} {path|road|trail} {leads|goes} to the $place',
  ],
  askAboutSelf: [
    '{who|what} are you{| exactly| really| anyway}',
    '{what is|whats|what\'s|tell me} your name',
    '{tell me|say something} about {yourself|you|your life|your kind}',
    '{where|what} {do you live|is your home|is your lair|do you come from|are you from}',
    "{what do you do|what's your job|what is your role|what are you doing here|why are you here}",
    '{how old are you|do you have a family|do you have a pack|are you alone|who do you serve}',
    '{what|who} {is your master|is your leader|do you guard|do you want}',
    '{are you|you} a $creature{| or what}',
    '{introduce yourself|name yourself|state your name}',
    '{how long have you|have you} {lived|been} here',
  ],
  trade: [
    '{want to|wanna|would you|care to|shall we|can we|let us|lets} {trade|barter|deal|swap|exchange goods|do business}',
    '{what do you|what will you|do you} {sell|have for sale|offer|have to trade|want for the $thing}',
    "{i'll|i will|i can|i want to|i'd like to} {buy|sell|trade|pay for|purchase} {a|the|your|this|that|some} $thing",
    '{how much|what price|what do you want} for {the|your|that|this} $thing',
    '{i have|i got|i carry} {gold|coin|silver|a $thing|goods|wares} {to trade|for you|to sell|if you want}',
    '{show me|let me see|let me look at} your {wares|goods|stock|items|loot}',
    '{is|are} {the|your} $thing for sale',
    '{name your price|make me an offer|give me a deal|good price|fair price}{| for the $thing}',
    '{any|got any} $thing {for sale|to sell|to spare}',
  ],
  flatter: [
    '{you are|you\'re|youre|you look} {so|very|truly|really|quite|} $praise{| $name| today}',
    "{what a|such a} {$praise|fine|mighty|beautiful|noble|clever|wise} {creature|beast|warrior|fellow|being} {you are|}",
    '{i|we} {admire|respect|love|adore} your {strength|wisdom|fur|fangs|courage|cunning|style|lair|voice}',
    '{your|that} {fur|armour|voice|lair|den|hoard|blade|scales} {is|looks} {magnificent|beautiful|amazing|splendid|impressive|gorgeous|lovely}',
    '{nobody|no one|none} is {as|more} $praise {as|than} you',
    '{you must be|surely you are} the {strongest|wisest|bravest|cleverest|finest|greatest} {one here|of your kind|in the land|around}',
    '{i have heard|they say|everyone says|people say} {great things about you|you are $praise|you are the best}',
    "{what|how} {beautiful|lovely|fine|impressive|wonderful} {eyes|fur|scales|teeth|claws|armour} you have",
  ],
  insult: [
    '{you are|you\'re|youre|ur} {a|an|such a|just a|nothing but a} $insult',
    '{you|u} {stink|smell|reek|are ugly|are stupid|are pathetic|are worthless|are a joke}',
    '{shut up|get lost|go away|buzz off|piss off}{| you $insult| $insult}',
    '{what a|such a|look at this} {stupid|ugly|filthy|pathetic|mangy|smelly} $insult',
    '{your|ur} {mother|face|fur|breath|lair|voice} {stinks|is ugly|smells|is a disgrace|is pathetic}',
    '{nobody|no one} {likes|cares about|wants} you{| $insult}',
    '{you|your kind} {are|is} {worthless|useless|dumb|vermin|garbage|trash|filth}',
    '{idiot|fool|moron|coward|dimwit|loser}{!|| $name}',
  ],
  farewell: [
    '{goodbye|bye|farewell|see you|see ya|so long|later|cya|take care|until next time}{| $name| friend| then| for now| all}',
    '{i must|i have to|i need to|time to|i should|gotta|i gotta} {go|leave|be going|head out|get going|move on}',
    '{safe|good} {travels|journey|hunting}{| to you| $name}',
    "{i'll|i will|we will} {see you|be back|return|come back} {later|soon|tomorrow|another time|again}",
    '{good night|goodnight|fare thee well|be well|stay safe}{| $name| friend}',
    '{until|till} {we meet again|next time|later|tomorrow}',
    '{i am|im|i\'m} {off|leaving|going now|heading out}',
  ],
  askForHelp: [
    '{help|help me|please help|save me|aid me|assist me}{| please| $name| i beg you|!}',
    '{can|could|would|will} you {help|aid|assist|protect|heal|save} {me|us|my friend}{| please}',
    '{i|we} {need|require|could use} {help|aid|your help|assistance|a healer|protection}',
    '{i am|im|i\'m} {hurt|wounded|dying|bleeding|poisoned|in trouble|being chased}{| please help| help}',
    '{monsters|wolves|bandits|goblins|trolls} {are chasing|attacked|are after|surround} {me|us}',
    '{please|i beg you|mercy}{,|} {i need|help|save} {me|us|a potion|food|water}',
    '{do you have|got|spare} {a potion|bandages|food|water|medicine}{| for me| to spare}',
    '{will|would|could} you {fight with me|join me|come with me|guard me|escort me}',
  ],
  unknown: [
    '{the|a|my} {weather|sky|river|moon|cheese|boat|song} {is|was|seems} {nice|blue|wet|strange|odd|green|loud}',
    '{i like|i hate|do you like|ever eaten} {turtles|apples|cheese|poetry|music|boats|rain|numbers}',
    '{asdf|qwerty|lol|hmm|uh|ok|okay|yes|no|maybe|what|huh|wut|eh|mhm|sure|right|indeed}',
    '{banana|purple|seventeen|tuesday|spoon|teapot|sock|window} {banana|purple|seventeen|tuesday|spoon|teapot|sock|window}',
    '{did you see|have you heard|do you think about} {the game last night|the news|the stars|the tax reform|the election}',
    '{i|we} {forgot|lost|found|dropped|ate} my {keys|sandwich|hat|homework|phone|socks}',
    '{what|why|how} {is|are|do} {numbers|colours|dreams|clouds|fish} {made of|so weird|real}',
    '{blah|la la la|hmmm|zzz|ugh|meh|uhh|erm}{| blah| la| okay}',
    '{the|my} {cat|dog|chicken|goat} {likes|eats|chases} {carrots|the moon|string|rocks}',
    '{one|two|three|four|five} {plus|times|minus} {one|two|three|four|five}',
  ],
};

const WORDS: Record<string, readonly string[]> = {
  place: ['river', 'village', 'cave', 'lair', 'forest', 'town', 'castle', 'ford', 'bridge', 'mountain pass', 'old mill', 'crypt', 'market', 'inn', 'tower', 'swamp', 'road north', 'camp', 'dungeon', 'temple', 'harbour', 'well', 'ruins', 'shrine', 'mine', 'gate'],
  thing: ['pelt', 'sword', 'potion', 'fang', 'dagger', 'shield', 'meat', 'gem', 'ring', 'map', 'scale', 'bow', 'cloak', 'herbs', 'tusk', 'armour', 'bread', 'rope', 'lantern', 'amulet'],
  name: ['wolf', 'beast', 'goblin', 'bandit', 'troll', 'friend', 'creature', 'lizard', 'buddy', 'pal'],
  creature: ['wolf', 'goblin', 'bandit', 'troll', 'monster', 'beast', 'lizard', 'ghost', 'spider', 'skeleton'],
  insult: ['fool', 'idiot', 'coward', 'worm', 'rat', 'pig', 'dog', 'maggot', 'moron', 'clown', 'weakling', 'loser', 'flea bag', 'dimwit', 'toad', 'vermin'],
  praise: ['strong', 'wise', 'brave', 'clever', 'handsome', 'beautiful', 'mighty', 'noble', 'impressive', 'magnificent', 'fearsome', 'elegant', 'smart', 'powerful', 'gorgeous', 'amazing'],
  threat: ['die', 'prepare to die', 'your end is near', 'i will end you', 'you are dead meat', 'run while you can', 'death comes for you', 'i will have your head', 'you will not survive this', 'this is your last day'],
};

const FILLERS_BEFORE = ['um', 'uh', 'so', 'well', 'hey', 'ok', 'listen', 'look', 'oh', 'erm', 'say', 'alright'];
const FILLERS_AFTER = ['please', 'ok', 'mate', 'then', 'now', 'alright', 'eh', 'pal', 'right', 'lol'];
const KEYS = 'qwertyuiopasdfghjklzxcvbnm';

/** Expand `{a|b}` alternatives and `$word` slots of a template. */
function expand(template: string, rng: Rng): string {
  let s = template;
  // innermost braces first
  for (let guard = 0; guard < 50 && s.includes('{'); guard++) {
    s = s.replace(/\{([^{}]*)\}/, (_m, body: string) => rng.pick(body.split('|')));
  }
  return s.replace(/\$(\w+)/g, (_m, key: string) => rng.pick(WORDS[key] ?? [key]));
}

function typo(word: string, rng: Rng): string {
  if (word.length < 3) return word;
  const i = rng.int(1, word.length - 2);
  switch (rng.int(0, 3)) {
    case 0: return word.slice(0, i) + word.slice(i + 1); // drop
    case 1: return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2); // swap
    case 2: return word.slice(0, i) + (word[i] ?? '') + word.slice(i); // double
    default: return word.slice(0, i) + rng.pick([...KEYS]) + word.slice(i + 1); // replace
  }
}

/** Surface noise: fillers, word-order swaps of two clauses, typos, casing and punctuation. */
function perturb(text: string, rng: Rng): string {
  let words = text.split(/\s+/).filter(Boolean);
  if (rng.chance(0.2)) words.unshift(rng.pick(FILLERS_BEFORE) + (rng.chance(0.5) ? ',' : ''));
  if (rng.chance(0.15)) words.push(rng.pick(FILLERS_AFTER));
  if (words.length > 4 && rng.chance(0.1)) {
    const cut = rng.int(1, words.length - 1);
    words = [...words.slice(cut), ...words.slice(0, cut)];
  }
  words = words.map((w) => (rng.chance(0.07) ? typo(w, rng) : w));
  let s = words.join(' ');
  const casing = rng.next();
  if (casing < 0.15) s = s.toUpperCase();
  else if (casing < 0.55) s = s.charAt(0).toUpperCase() + s.slice(1);
  s += rng.weighted([
    { value: '', weight: 4 }, { value: '.', weight: 2 }, { value: '!', weight: 2 }, { value: '?', weight: 2 }, { value: '!!', weight: 0.5 }, { value: '...', weight: 0.5 }, { value: '?!', weight: 0.3 },
  ]);
  return s;
}

/** One labelled line of the corpus. */
export interface IntentExample {
  readonly text: string;
  readonly intent: Intent;
}

/**
 * The intent corpus: `perIntent` distinct paraphrases of each intent, shuffled and split into a training
 * part and a held-out part (`heldOut` share) that share no line. Deterministic for a seed.
 */
export function intentCorpus(seed: string, perIntent = 700, heldOut = 0.2): { train: IntentExample[]; test: IntentExample[] } {
  const rng = Rng.create(seed);
  const seen = new Set<string>();
  const all: IntentExample[] = [];
  for (const intent of INTENT_LABELS) {
    const r = rng.fork(intent);
    const templates = TEMPLATES[intent];
    let made = 0;
    for (let tries = 0; made < perIntent && tries < perIntent * 30; tries++) {
      const text = perturb(expand(r.pick(templates), r), r);
      const key = text.toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim(); // punctuation-only variants count as the same line
      if (seen.has(key)) continue;
      seen.add(key);
      all.push({ text, intent });
      made++;
    }
  }
  const shuffled = rng.fork('split').shuffle(all);
  const cut = Math.round(shuffled.length * heldOut);
  return { test: shuffled.slice(0, cut), train: shuffled.slice(cut) };
}
