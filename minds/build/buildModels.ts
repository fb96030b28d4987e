import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../shared/index.ts';
import { ACTION_LABELS, BIOMES, INTENT_LABELS, LATENT_SIZE, SPECIES, TEMPERAMENTS, TRAIT_KEYS, VOICES } from '../catalog.ts';
import { bagFeatures, trainBag } from '../nn/bagNet.ts';
import type { BagExample, BigramSpec } from '../nn/bagNet.ts';
import { forwardBag, forwardDense, trainMlp } from '../nn/mlp.ts';
import type { Example, Mlp } from '../nn/mlp.ts';
import { bagMlpOnnx, denseMlpOnnx } from '../nn/mlpGraph.ts';
import { PERSONALITY_HEADS, PERSONALITY_INPUTS, personalityFeatures, teacherTraits, temperamentScores, voiceScores } from '../personalityModel.ts';
import { ORDERS, POLICY_HEADS, POLICY_INPUTS, TEACHER_TEMPERATURE, policyFeatures, teacherScores } from '../policyModel.ts';
import { MAX_TOKENS, PAD_ID, UNK_ID, basicTokens, tokenIds, wordPieces } from '../text.ts';
import { INTENT_DEV_TSV, readIntentTsv, scoreIntents } from './evaluate.ts';
import type { IntentEvaluation } from './evaluate.ts';
import { intentCorpus } from './intentCorpus.ts';
import type { IntentExample } from './intentCorpus.ts';
import { buildReplyModel } from './replyModel.ts';
import { learnWordPieces } from './wordPiece.ts';

/** The seed every built-in model is trained from. */
export const BUILD_SEED = 'lairmind-models-v1';

const softmax = (xs: readonly number[], temperature: number): number[] => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp((x - m) / temperature));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

function writeFolder(dir: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
}

// ---- personality ----------------------------------------------------------------------------------------

function personalityExamples(rng: Rng, n: number): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const req = { species: rng.pick(SPECIES), biome: rng.pick(BIOMES), latent: Array.from({ length: LATENT_SIZE }, () => rng.next()) };
    const x = new Float32Array(PERSONALITY_INPUTS);
    personalityFeatures(req, x, 0);
    const traits = teacherTraits(req);
    out.push({ x, targets: [traits, softmax(temperamentScores(traits), 0.05), softmax(voiceScores(req.species, traits), 0.05)] });
  }
  return out;
}

// ---- policy -------------------------------------------------------------------------------------------

/** A random perception + traits, covering the ranges the simulation produces. */
export function samplePolicyInput(rng: Rng): Float32Array {
  const seen = rng.chance(0.8), ally = rng.chance(0.6);
  const perception = {
    threatDist: seen ? rng.float(0, 22) : -1,
    threatBearing: rng.float(-Math.PI, Math.PI),
    allyDist: ally ? rng.float(0, 22) : -1,
    allyBearing: rng.float(-Math.PI, Math.PI),
    health: rng.chance(0.3) ? 1 : rng.next(),
    targetHealth: rng.next(),
    packNearby: rng.int(0, 7),
    terrainCost: rng.chance(0.6) ? 1 : rng.float(1, 4),
    cover: rng.chance(0.5) ? 0 : rng.next(),
    sinceHit: rng.chance(0.3) ? rng.float(0, 3) : rng.float(0, 60),
    order: rng.chance(0.6) ? ('none' as const) : rng.pick(ORDERS),
  };
  const traits = { aggression: rng.next(), courage: rng.next(), sociability: rng.next(), greed: rng.next(), curiosity: rng.next(), cunning: rng.next() };
  const x = new Float32Array(POLICY_INPUTS);
  policyFeatures(perception, traits, x, 0);
  return x;
}

function policyExamples(rng: Rng, n: number): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const x = samplePolicyInput(rng);
    out.push({ x, targets: [softmax(teacherScores(x), TEACHER_TEMPERATURE)] });
  }
  return out;
}

// ---- intent -------------------------------------------------------------------------------------------

/** WordPiece pieces learnt from the training lines (besides [PAD] and [UNK]). */
const INTENT_PIECES = 2500;
/** Hashed word-pair rows of the intent model, and the multipliers of the hash. */
const INTENT_PAIR_BUCKETS = 8192;
const PAIR_HASH = { k1: 7919, k2: 104729 } as const;
/** Hidden units of the intent model. */
const INTENT_HIDDEN = 64;

/** WordPiece vocabulary of the training lines: [PAD], [UNK], the alphabet, then merged pieces (whole frequent words among them). */
function buildVocab(train: readonly IntentExample[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ex of train) for (const w of basicTokens(ex.text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const vocab = new Map<string, number>([['[PAD]', PAD_ID], ['[UNK]', UNK_ID]]);
  for (const p of learnWordPieces(counts, INTENT_PIECES)) vocab.set(p, vocab.size);
  return vocab;
}

/**
 * Training rows of the intent lines. Each line also gets a second tokenisation in which about a third of its
 * longer words are split below the whole word, as WordPiece splits a word it has never seen: the parts learn
 * what the word meant. Short `unknown` lines (one or two tokens: "ok", "lol", "what") are repeated, since a
 * single filler has only one line to teach it while its words fill thousands of lines of other intents.
 */
function intentExamples(train: readonly IntentExample[], vocab: ReadonlyMap<string, number>, pairs: BigramSpec, rng: Rng): BagExample[] {
  const out: BagExample[] = [];
  for (const e of train) {
    const words = basicTokens(e.text);
    const split: number[] = [];
    for (const w of words) split.push(...wordPieces(w, vocab, w.length >= 3 && rng.chance(0.3)));
    const ex = { variants: [bagFeatures(tokenIds(e.text, vocab), pairs), bagFeatures(split.slice(0, MAX_TOKENS), pairs)], label: INTENT_LABELS.indexOf(e.intent) };
    const copies = e.intent === 'unknown' && words.filter((w) => /\w/.test(w)).length <= 2 ? 4 : 1;
    for (let i = 0; i < copies; i++) out.push(ex);
  }
  return out;
}

/** tokenizer.json in the Hugging Face `tokenizers` format: BERT normaliser and pre-tokeniser, WordPiece model. */
function tokenizerJson(vocab: ReadonlyMap<string, number>): unknown {
  const special = (id: number, content: string): unknown => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: { direction: 'Right', max_length: MAX_TOKENS, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: [special(PAD_ID, '[PAD]'), special(UNK_ID, '[UNK]')],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab) },
  };
}

/** The plain-JS intent classification of a trained model, as the BagClassifier does it. */
function bagClassify(m: Mlp, vocab: ReadonlyMap<string, number>, pairs: BigramSpec, texts: readonly string[]): { intent: IntentExample['intent'] }[] {
  const [logits] = forwardBag(m, texts.map((t) => bagFeatures(tokenIds(t, vocab), pairs)));
  const k = INTENT_LABELS.length;
  return texts.map((_, r) => {
    let best = 0;
    for (let c = 1; c < k; c++) if ((logits as Float32Array)[r * k + c] as number > ((logits as Float32Array)[r * k + best] as number)) best = c;
    return { intent: INTENT_LABELS[best] as IntentExample['intent'] };
  });
}

/** Share of `examples` whose argmax under `m` is their label. */
export function bagAccuracy(m: Mlp, vocab: ReadonlyMap<string, number>, pairs: BigramSpec, examples: readonly IntentExample[]): number {
  const got = bagClassify(m, vocab, pairs, examples.map((e) => e.text));
  return got.filter((g, i) => g.intent === examples[i]?.intent).length / Math.max(1, examples.length);
}

/** What {@link buildModels} reports. */
export interface BuildReport {
  readonly dir: string;
  readonly intentTrainLines: number;
  readonly intentHeldOutLines: number;
  readonly intentVocab: number;
  readonly intentTrainAccuracy: number;
  readonly intentHeldOutAccuracy: number;
  /** On the hand-written development lines (minds/build/intent-dev.tsv), which training never sees. */
  readonly intentDev: IntentEvaluation;
  readonly intentModelBytes: number;
  readonly policyTeacherAgreement: number;
  readonly replyVocab: number;
  readonly replyParameters: number;
  /** Share of intent × stance pairs whose greedy reply is one of the tiny reply model's training lines. */
  readonly replyRecited: number;
  readonly ms: number;
}

/**
 * Train the built-in models from seeded synthetic data and write them under `dir` in the Hugging Face folder
 * layout: `personality/`, `policy/`, `intent/` (each `config.json`, `onnx/model.onnx`; intent also
 * `tokenizer.json` and `tokenizer_config.json`), and `reply-tiny/`, a tiny text-generation model the reply
 * writer can be pointed at (the grammar stays the default). Deterministic: the same code writes the same bytes.
 */
export function buildModels(dir: string): BuildReport {
  const t0 = performance.now();
  const root = Rng.create(BUILD_SEED);

  // personality
  const personality = trainMlp(personalityExamples(root.fork('personality-data'), 6000), {
    inputs: PERSONALITY_INPUTS, hidden: 48, heads: PERSONALITY_HEADS, sparse: false, epochs: 30, batch: 32, lr: 0.01, seed: `${BUILD_SEED}/personality-train`,
  });
  writeFolder(join(dir, 'personality'), {
    'config.json': json({
      model_type: 'lairmind-mlp',
      lairmind: {
        kind: 'personality', version: 1, seed: BUILD_SEED, inputs: PERSONALITY_INPUTS, species: SPECIES, biomes: BIOMES, latent: LATENT_SIZE,
        outputs: { traits: TRAIT_KEYS, temperament: TEMPERAMENTS, voice: VOICES },
      },
    }),
    'onnx/model.onnx': denseMlpOnnx(personality, 'lairmind-personality', 'species one-hot, biome one-hot, latent -> traits (sigmoid), temperament logits, voice logits'),
  });

  // policy
  const policyData = policyExamples(root.fork('policy-data'), 24000);
  const policy = trainMlp(policyData, {
    inputs: POLICY_INPUTS, hidden: 64, heads: POLICY_HEADS, sparse: false, epochs: 20, batch: 32, lr: 0.006, seed: `${BUILD_SEED}/policy-train`,
  });
  writeFolder(join(dir, 'policy'), {
    'config.json': json({
      model_type: 'lairmind-mlp',
      lairmind: { kind: 'policy', version: 1, seed: BUILD_SEED, inputs: POLICY_INPUTS, orders: ORDERS, traits: TRAIT_KEYS, actions: ACTION_LABELS, teacher_temperature: TEACHER_TEMPERATURE },
      id2label: Object.fromEntries(ACTION_LABELS.map((a, i) => [String(i), a])),
    }),
    'onnx/model.onnx': denseMlpOnnx(policy, 'lairmind-policy', 'perception features + traits -> action logits (and their softmax, logits_probs)', true),
  });
  const policyTeacherAgreement = agreement(policy, root.fork('policy-check'));

  // intent
  const corpus = intentCorpus(`${BUILD_SEED}/intent-corpus`);
  const vocab = buildVocab(corpus.train);
  const pairs: BigramSpec = { offset: vocab.size, buckets: INTENT_PAIR_BUCKETS, ...PAIR_HASH };
  const intent = trainBag(intentExamples(corpus.train, vocab, pairs, root.fork('intent-split')), {
    rows: vocab.size + pairs.buckets, hidden: INTENT_HIDDEN, classes: INTENT_LABELS.length, epochs: 12, batch: 32, lr: 0.005, seed: `${BUILD_SEED}/intent-train`,
    weightDecay: 1e-4, featureDropout: 0.15, hiddenDropout: 0.2, smoothing: 0.05, variantChance: 0.3,
  });
  const intentHeldOutAccuracy = bagAccuracy(intent, vocab, pairs, corpus.test);
  const intentTrainAccuracy = bagAccuracy(intent, vocab, pairs, corpus.train);
  const dev = readIntentTsv(INTENT_DEV_TSV);
  const intentDev = scoreIntents(dev, bagClassify(intent, vocab, pairs, dev.map((e) => e.text)));
  const intentOnnx = bagMlpOnnx(intent, 'lairmind-intent', 'WordPiece tokens and hashed neighbouring-token pairs, embedding bag (mean) -> relu -> intent logits', pairs);
  writeFolder(join(dir, 'intent'), {
    'config.json': json({
      model_type: 'bert',
      architectures: ['BertForSequenceClassification'],
      id2label: Object.fromEntries(INTENT_LABELS.map((l, i) => [String(i), l])),
      label2id: Object.fromEntries(INTENT_LABELS.map((l, i) => [l, i])),
      lairmind: {
        kind: 'intent', version: 2, seed: BUILD_SEED,
        architecture: 'WordPiece tokens + hashed token pairs -> embedding bag (mean) -> relu -> logits',
        tokenizer: { type: 'WordPiece', vocab: vocab.size, max_tokens: MAX_TOKENS },
        token_pairs: { buckets: pairs.buckets, first_row: pairs.offset, hash: '(a*k1 + b*k2) mod buckets', k1: pairs.k1, k2: pairs.k2 },
        hidden: INTENT_HIDDEN,
        train_lines: corpus.train.length, heldout_lines: corpus.test.length, heldout_accuracy: Math.round(intentHeldOutAccuracy * 1e4) / 1e4,
      },
    }),
    'tokenizer.json': json(tokenizerJson(vocab)),
    'tokenizer_config.json': json({ tokenizer_class: 'BertTokenizer', do_lower_case: true, pad_token: '[PAD]', unk_token: '[UNK]', model_max_length: MAX_TOKENS }),
    'onnx/model.onnx': intentOnnx,
  });

  const reply = buildReplyModel(BUILD_SEED);
  writeFolder(join(dir, 'reply-tiny'), reply.files);

  return {
    dir,
    intentTrainLines: corpus.train.length,
    intentHeldOutLines: corpus.test.length,
    intentVocab: vocab.size,
    intentTrainAccuracy,
    intentHeldOutAccuracy,
    intentDev,
    intentModelBytes: intentOnnx.length,
    policyTeacherAgreement,
    replyVocab: reply.vocab,
    replyParameters: reply.parameters,
    replyRecited: reply.recited,
    ms: performance.now() - t0,
  };
}

/** Share of fresh random inputs where the trained policy's argmax equals the teacher's. */
function agreement(m: Mlp, rng: Rng): number {
  const am = (xs: ArrayLike<number>): number => {
    let best = 0;
    for (let c = 1; c < xs.length; c++) if ((xs[c] as number) > (xs[best] as number)) best = c;
    return best;
  };
  let same = 0;
  const n = 2000;
  for (let i = 0; i < n; i++) {
    const x = samplePolicyInput(rng);
    const [z] = forwardDense(m, x, 1);
    if (am(z as Float32Array) === am(teacherScores(x))) same++;
  }
  return same / n;
}
