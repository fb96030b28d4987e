import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Intent } from '../actors/index.ts';
import { INTENT_LABELS } from './catalog.ts';
import type { MindLogger } from './denseRunner.ts';
import type { InspectedFolder } from './modelFolder.ts';
import { ModelFolderError } from './modelFolder.ts';
import { bagFeatures } from './nn/bagNet.ts';
import type { BigramSpec } from './nn/bagNet.ts';
import { forwardBag, softmaxRow } from './nn/mlp.ts';
import type { Mlp } from './nn/mlp.ts';
import { bigramSpecFromDecoded, mlpFromDecoded } from './nn/mlpGraph.ts';
import { tokenIds } from './text.ts';

/** One classified line. */
export interface IntentResult {
  readonly intent: Intent;
  /** Probability of the intent, 0..1. */
  readonly confidence: number;
  readonly source: 'model' | 'fallback';
}

/** A text-classification pipeline as transformers.js returns it (tests substitute failing ones). */
export type TextClassifier = (texts: string[]) => Promise<{ label: string; score: number }[]>;
/** Loads a text classifier from a Hugging Face–layout folder. */
export type TextClassifierFactory = (dir: string) => Promise<TextClassifier>;

/** The default factory: a transformers.js `text-classification` pipeline over onnxruntime-node, local files only. */
export const transformersClassifierFactory: TextClassifierFactory = async (dir) => {
  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = '';
  const clf = await pipeline('text-classification', dir, { dtype: 'fp32', local_files_only: true });
  return async (texts) => (await clf(texts)) as { label: string; score: number }[];
};

const INTENT_SET = new Set<string>(INTENT_LABELS);
const asIntent = (label: string): Intent => (INTENT_SET.has(label) ? (label as Intent) : 'unknown');

/**
 * The plain-JS classifier of a built-in (embedding-bag) intent model: its weights, its WordPiece vocabulary and
 * the word-pair hashing of its graph. Gives the labels the transformers.js pipeline gives.
 */
export class BagClassifier {
  private readonly mlp: Mlp;
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly labels: readonly string[];
  private readonly bigrams: BigramSpec | undefined;

  private constructor(mlp: Mlp, vocab: ReadonlyMap<string, number>, labels: readonly string[], bigrams: BigramSpec | undefined) {
    this.mlp = mlp;
    this.vocab = vocab;
    this.labels = labels;
    this.bigrams = bigrams;
  }

  /** From a checked folder; `undefined` when the folder holds some other kind of network. */
  static fromFolder(f: InspectedFolder): BagClassifier | undefined {
    const labels = labelsOf(f);
    const mlp = mlpFromDecoded(f.decoded, [{ name: 'logits', size: labels.length, kind: 'softmax' }]);
    if (!mlp) return undefined;
    const path = join(f.dir, 'tokenizer.json');
    let vocab: Record<string, number>;
    try {
      vocab = (JSON.parse(readFileSync(path, 'utf8')) as { model?: { vocab?: Record<string, number> } }).model?.vocab ?? {};
    } catch (err) {
      throw new ModelFolderError(path, `cannot be read as JSON: ${(err as Error).message}`, { cause: err });
    }
    const bigrams = bigramSpecFromDecoded(f.decoded);
    const tokens = Object.keys(vocab).length;
    if (tokens + (bigrams?.buckets ?? 0) !== mlp.inputs || (bigrams && bigrams.offset !== tokens)) {
      const pairs = bigrams ? ` and ${bigrams.buckets} word-pair rows from ${bigrams.offset}` : '';
      throw new ModelFolderError(join(f.dir, 'onnx', 'model.onnx'), `embedding table has ${mlp.inputs} rows but tokenizer.json has ${tokens} tokens${pairs}`);
    }
    return new BagClassifier(mlp, new Map(Object.entries(vocab)), labels, bigrams);
  }

  classify(texts: readonly string[]): IntentResult[] {
    const [logits] = forwardBag(this.mlp, texts.map((t) => bagFeatures(tokenIds(t, this.vocab), this.bigrams)));
    const k = this.labels.length;
    const p = new Float64Array(k);
    return texts.map((_, r) => {
      softmaxRow(logits as Float32Array, r, k, p);
      let best = 0;
      for (let c = 1; c < k; c++) if ((p[c] as number) > (p[best] as number)) best = c;
      return { intent: asIntent(this.labels[best] as string), confidence: p[best] as number, source: 'fallback' as const };
    });
  }
}

/** Labels of a classification folder, from config.json `id2label` (in id order). */
export function labelsOf(f: InspectedFolder): string[] {
  const id2label = f.config.id2label as Record<string, string> | undefined;
  if (!id2label || typeof id2label !== 'object') throw new ModelFolderError(join(f.dir, 'config.json'), 'has no id2label (the intent labels)');
  const out: string[] = [];
  for (let i = 0; i < Object.keys(id2label).length; i++) {
    const l = id2label[String(i)];
    if (typeof l !== 'string') throw new ModelFolderError(join(f.dir, 'config.json'), `id2label has no label for id ${i}`);
    out.push(l);
  }
  return out;
}

/**
 * Player chat → intents, a whole batch through one transformers.js pipeline call. Labels a replacement
 * model knows but the port does not become `unknown`. When the pipeline fails to load or run, the plain-JS
 * pass of the built-in weights takes over (logged once).
 */
export class IntentClassifier {
  private clf: TextClassifier | undefined;
  private readonly fallback: BagClassifier;
  private readonly log: MindLogger;
  private failed = false;

  private constructor(clf: TextClassifier | undefined, fallback: BagClassifier, log: MindLogger) {
    this.clf = clf;
    this.fallback = fallback;
    this.log = log;
  }

  static async create(o: { folder: InspectedFolder; fallback: BagClassifier; factory: TextClassifierFactory | null; log: MindLogger }): Promise<IntentClassifier> {
    let clf: TextClassifier | undefined;
    let failure: unknown;
    if (o.factory) {
      try {
        clf = await o.factory(o.folder.dir);
      } catch (err) {
        failure = err;
      }
    }
    const c = new IntentClassifier(clf, o.fallback, o.log);
    if (failure !== undefined) c.fail('failed to load', failure);
    else if (!o.factory) c.failed = true;
    return c;
  }

  get path(): 'transformers.js' | 'js' {
    return this.clf && !this.failed ? 'transformers.js' : 'js';
  }

  private fail(what: string, err: unknown): void {
    if (!this.failed) this.log(`minds: model 'intent' ${what} (${(err instanceof Error ? err.message : String(err)).split('\n')[0]}); using the plain-JS forward pass of the built-in weights from now on`);
    this.failed = true;
    this.clf = undefined;
  }

  /** Classify normalised lines (one pipeline call for the whole batch). */
  async classify(texts: readonly string[]): Promise<IntentResult[]> {
    if (texts.length === 0) return [];
    if (this.clf && !this.failed) {
      try {
        // Empty lines carry nothing: the model would see no tokens. They are `unknown` without asking it.
        const asked = texts.map((t, i) => ({ t, i })).filter((x) => x.t.length > 0);
        const out: IntentResult[] = texts.map(() => ({ intent: 'unknown', confidence: 1, source: 'model' }));
        if (asked.length) {
          const res = await this.clf(asked.map((x) => x.t));
          if (!Array.isArray(res) || res.length !== asked.length) throw new Error(`classifier returned ${Array.isArray(res) ? res.length : typeof res} results for ${asked.length} lines`);
          asked.forEach((x, k) => {
            const r = res[k] as { label: string; score: number };
            out[x.i] = { intent: asIntent(r.label), confidence: r.score, source: 'model' };
          });
        }
        return out;
      } catch (err) {
        this.fail('failed to run', err);
      }
    }
    const js = this.fallback.classify(texts);
    return js.map((r, i) => (texts[i] === '' ? { intent: 'unknown', confidence: 1, source: 'fallback' } : r));
  }
}
