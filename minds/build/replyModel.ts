import type { Intent } from '../../actors/index.ts';
import { Rng } from '../../shared/index.ts';
import { INTENT_LABELS } from '../catalog.ts';
import { trainMlp } from '../nn/mlp.ts';
import type { Example } from '../nn/mlp.ts';
import { wordLmGreedy, wordLmOnnx } from '../nn/wordLmGraph.ts';
import type { WordLm } from '../nn/wordLmGraph.ts';
import type { Stance } from '../replyGrammar.ts';
import { bertPieces } from '../text.ts';

/**
 * What the tiny reply model learns to say, per intent and stance: short lines in the grammar's manner, with
 * no names or facts in them (a word-level model can only say words it knows).
 */
export const REPLY_LINES: Record<Intent, Record<Stance, readonly string[]>> = {
  greet: {
    hostile: ['What do you want?', 'Keep your greetings. Speak quickly or leave.', 'You again. What now?'],
    wary: ['Hm. Greetings, stranger. State your business.', 'Well met, I suppose. What brings you here?', 'I see you. Keep your hands where I can see them.'],
    friendly: ['Hello, friend! Good to see you.', 'Ah, welcome! Sit and rest a while.', 'Greetings. I hope the road was kind to you.'],
  },
  threaten: {
    hostile: ['Try it. I have buried braver fools.', 'Come closer and say that again.', 'You will regret that threat.'],
    wary: ['Careful. I do not scare easily.', 'Big words. Walk away while you still can.', 'I would think twice, stranger.'],
    friendly: ['Ha! You jest, surely.', 'Easy now. We are not enemies, you and I.', 'No need for that. Put it away.'],
  },
  askDirections: {
    hostile: ['Find your own way.', 'Why should I help you? Get lost, and stay lost.', 'Ask someone who likes you.'],
    wary: ['Follow the river east, then keep to the road.', 'The road runs north past the old mill. That is all I will say.', 'Go west until the hills. Now go.'],
    friendly: ['Of course! Take the north road and cross at the ford.', 'Happy to help. Follow the river to the old bridge. Safe roads!', 'Listen well. East past the mill, then south along the road.'],
  },
  askAboutSelf: {
    hostile: ['Who I am is no business of yours.', 'You will learn my name soon enough.', 'Fear me, and go.'],
    wary: ['I keep to my home and my own business.', 'They know me around here. Why do you ask?', 'I am what you see. Nothing more.'],
    friendly: ['Me? I have lived here all my life. I know every path.', 'I watch these lands and keep my home safe. And you?', 'Just a simple soul, friend. Ask me anything.'],
  },
  trade: {
    hostile: ['I do not trade with the likes of you.', 'Your coin is no good here.', 'Trade? I would rather take it from your corpse.'],
    wary: ['Show me your coin first.', 'Perhaps. What do you offer?', 'Trade, hm? Name your price and we shall see.'],
    friendly: ['For you, a fair price. Let us deal!', 'A customer! I have things worth seeing.', 'Gladly. What do you need?'],
  },
  flatter: {
    hostile: ['Sweet words will not save you.', 'Flattery? From you? Hah.', 'I am not fooled by honeyed words.'],
    wary: ['Hm. Kind words. What do you want?', 'You flatter me. Why?', 'Nice of you to say. I am still watching you.'],
    friendly: ['Ha! You are too kind.', 'Thank you, friend.', 'Such words! Be welcome here.'],
  },
  insult: {
    hostile: ['Say that again and lose your tongue.', 'You will pay for those words.', 'I will remember that insult.'],
    wary: ['Watch your tongue.', 'Rude. I will remember this.', 'Mind your words, stranger.'],
    friendly: ['Hah, sharp tongue today? I will let it pass.', 'That stings. Bad day?', 'Ouch. That is not like you.'],
  },
  farewell: {
    hostile: ['Good riddance.', 'Go, and do not come back.', 'Leave. Now.'],
    wary: ['Farewell, then.', 'Go safely.', 'Until next time.'],
    friendly: ['Farewell, friend! Come back soon.', 'Safe travels.', 'Goodbye. I will remember you kindly.'],
  },
  askForHelp: {
    hostile: ['Help you? Hah! Not in this life.', 'You are on your own.', 'Why would I bother?'],
    wary: ['What trouble have you brought here?', 'Hm. Tell me what you need, quickly.', 'I might help. Might.'],
    friendly: ['Of course! Stay close to me.', 'Say no more, friend.', 'I will help you. What do you need?'],
  },
  unknown: {
    hostile: ['Speak sense or be silent.', 'What? Stop babbling.', 'I have no time for riddles.'],
    wary: ['I do not follow you.', 'What do you mean?', 'Hm? Say that plainly.'],
    friendly: ['I do not quite understand. Say it again?', 'Eh? You lost me there, friend.', 'Hm, strange words. What do you mean?'],
  },
};

export const STANCES = ['hostile', 'wary', 'friendly'] as const satisfies readonly Stance[];

/** Special tokens of the reply tokenizer. */
export const REPLY_PAD = '<pad>';
export const REPLY_UNK = '<unk>';
export const REPLY_EOS = '<|endoftext|>';

// Words of the prompt (see replyPrompt) the model reads its context from: `(` + intent, stance + `towards`, and
// the `:` after the NPC's name that ends the prompt.
const OPEN_TAG = '(';
const STANCE_CUE = 'towards';
const PROMPT_END = ':';

/** The reply model's hyper-parameters. */
const HIDDEN = 32;
const EPOCHS = 20;

/** What {@link buildReplyModel} makes. */
export interface ReplyModelBuild {
  readonly files: Record<string, string | Uint8Array>;
  readonly vocab: number;
  readonly parameters: number;
  /** Greedy lines per intent and stance, from a prompt with no other cue, as the JS pass writes them. */
  readonly greedy: Record<string, string>;
  /** Share of intent × stance pairs whose greedy line is one of its training lines. */
  readonly recited: number;
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** Vocabulary: specials, the prompt's cue words, then the training lines' words, most frequent first. */
function buildVocab(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const intent of INTENT_LABELS) for (const s of STANCES) for (const line of REPLY_LINES[intent][s]) for (const w of bertPieces(line)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const vocab = new Map<string, number>();
  for (const w of [REPLY_PAD, REPLY_UNK, REPLY_EOS, PROMPT_END, OPEN_TAG, STANCE_CUE, ...INTENT_LABELS, ...STANCES]) if (!vocab.has(w)) vocab.set(w, vocab.size);
  for (const [w] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) if (!vocab.has(w)) vocab.set(w, vocab.size);
  return vocab;
}

/** tokenizer.json: case kept, BERT whitespace/punctuation split, whole-word WordPiece vocabulary, words joined by spaces on decoding. */
function tokenizerJson(vocab: ReadonlyMap<string, number>): unknown {
  const special = (content: string): unknown => ({ id: vocab.get(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(REPLY_PAD), special(REPLY_UNK), special(REPLY_EOS)],
    normalizer: null,
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordPiece', unk_token: REPLY_UNK, continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab) },
  };
}

/**
 * Train the tiny reply model and lay it out as a Hugging Face text-generation folder transformers.js loads
 * (`config.json` as a one-layer `gpt2`, `generation_config.json`, `tokenizer.json`, `tokenizer_config.json`,
 * `onnx/model.onnx`). Each training example is a word of a reply line with the word before it and the prompt's
 * intent and stance; the line starts after the `:` that ends the prompt and ends with the end-of-text token,
 * which the model keeps repeating (a batch row that has finished waits on it). Deterministic from `seed`.
 */
export function buildReplyModel(seed: string): ReplyModelBuild {
  const rng = Rng.create(`${seed}/reply-data`);
  const vocab = buildVocab();
  const V = vocab.size, F = INTENT_LABELS.length + STANCES.length;
  const id = (w: string): number => vocab.get(w) ?? (vocab.get(REPLY_UNK) as number);
  const unk = id(REPLY_UNK), eos = id(REPLY_EOS), end = id(PROMPT_END);
  const words = [...vocab.keys()].slice(3);

  const examples: Example[] = [];
  const onehot = (k: number): number[] => Array.from({ length: V }, (_, i) => (i === k ? 1 : 0));
  INTENT_LABELS.forEach((intent, ii) => STANCES.forEach((stance, si) => {
    const ctx = [2 * V + ii, 2 * V + INTENT_LABELS.length + si];
    for (const line of REPLY_LINES[intent][stance]) {
      const seq = [end, ...bertPieces(line).map(id), eos, eos, eos];
      // The word before the prompt's `:` is the NPC's name: mostly unknown, sometimes a word the model knows.
      for (const name of [unk, id(rng.pick(words))]) examples.push({ ids: [end, V + name, ...ctx], targets: [onehot(seq[1] as number)] });
      for (let t = 1; t + 1 < seq.length; t++) examples.push({ ids: [seq[t] as number, V + (seq[t - 1] as number), ...ctx], targets: [onehot(seq[t + 1] as number)] });
    }
  }));
  const mlp = trainMlp(examples, {
    inputs: 2 * V + F, hidden: HIDDEN, heads: [{ name: 'logits', size: V, kind: 'softmax' }], sparse: true, epochs: EPOCHS, batch: 32, lr: 0.03, seed: `${seed}/reply-train`,
  });

  // trainMlp averages the four rows of an example; the graph adds them, so every table is scaled by 1/4.
  const H = HIDDEN, q = 0.25;
  const rows = (from: number, n: number): Float32Array => Float32Array.from(mlp.w1.subarray(from * H, (from + n) * H), (x) => x * q);
  const pad = id(REPLY_PAD);
  const last = rows(0, V), prev = rows(V, V);
  last.fill(0, pad * H, (pad + 1) * H);
  prev.fill(0, pad * H, (pad + 1) * H);
  const opens = new Float32Array(V * F), completes = new Float32Array(V * F);
  INTENT_LABELS.forEach((intent, ii) => {
    opens[id(OPEN_TAG) * F + ii] = 1;
    completes[id(intent) * F + ii] = 1;
  });
  STANCES.forEach((stance, si) => {
    opens[id(stance) * F + INTENT_LABELS.length + si] = 1;
    completes[id(STANCE_CUE) * F + INTENT_LABELS.length + si] = 1;
  });
  const head = mlp.heads[0] as { w: Float32Array; b: Float32Array };
  const lm: WordLm = { vocab: V, hidden: H, features: F, last, prev, opens, completes, context: rows(2 * V, F), bias: mlp.b1, head: head.w, headBias: head.b };

  const inverse = [...vocab.keys()];
  const greedy: Record<string, string> = {};
  let recited = 0;
  INTENT_LABELS.forEach((intent) => STANCES.forEach((stance) => {
    const out = wordLmGreedy(lm, [id(stance), id(STANCE_CUE), id(OPEN_TAG), id(intent), unk, end], eos, 32);
    const text = out.words.map((w) => inverse[w]).join(' ');
    greedy[`${intent}/${stance}`] = out.ended ? text : `${text} …`;
    if (out.ended && REPLY_LINES[intent][stance].some((l) => bertPieces(l).join(' ') === text)) recited++;
  }));

  const config = {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    vocab_size: V,
    n_layer: 1,
    n_head: 1,
    n_embd: H,
    n_positions: 4096,
    bos_token_id: eos,
    eos_token_id: eos,
    pad_token_id: pad,
    lairmind: {
      kind: 'reply', version: 1, seed,
      architecture: 'word-level LM: relu(last word + previous word + prompt features) -> next-word logits; the KV cache carries the previous word and the features',
      features: [...INTENT_LABELS.map((i) => `${OPEN_TAG} ${i}`), ...STANCES.map((s) => `${s} ${STANCE_CUE}`)],
      training_lines: INTENT_LABELS.reduce((n, i) => n + STANCES.reduce((k, s) => k + REPLY_LINES[i][s].length, 0), 0),
    },
  };
  return {
    files: {
      'config.json': json(config),
      'generation_config.json': json({ bos_token_id: eos, eos_token_id: eos, pad_token_id: pad, do_sample: false }),
      'tokenizer.json': json(tokenizerJson(vocab)),
      'tokenizer_config.json': json({
        tokenizer_class: 'PreTrainedTokenizer', bos_token: REPLY_EOS, eos_token: REPLY_EOS, unk_token: REPLY_UNK, pad_token: REPLY_PAD,
        clean_up_tokenization_spaces: true, padding_side: 'left', model_max_length: 4096,
      }),
      'onnx/model.onnx': wordLmOnnx(lm, 'lairmind-reply-tiny', 'word-level reply LM: last word, previous word (from the KV cache) and prompt features -> next-word logits'),
    },
    vocab: V,
    parameters: last.length + prev.length + lm.context.length + lm.bias.length + lm.head.length + lm.headBias.length,
    greedy,
    recited: recited / (INTENT_LABELS.length * STANCES.length),
  };
}
