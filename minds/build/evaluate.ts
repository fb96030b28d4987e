import { readFileSync } from 'node:fs';
import type { Intent } from '../../actors/index.ts';
import { INTENT_LABELS } from '../catalog.ts';
import type { IntentExample } from './intentCorpus.ts';

/** Where the hand-written development lines of the intent model live (tuned against, never trained on). */
export const INTENT_DEV_TSV = new URL('./intent-dev.tsv', import.meta.url);
/** Where an independent set of natural chat lines may be put to judge the intent model (neither trained nor tuned on). */
export const NATURAL_INTENTS_TSV = new URL('../eval/natural-intents.tsv', import.meta.url);

const LABELS = new Set<string>(INTENT_LABELS);

/**
 * Read labelled chat lines from a TSV file: a header line, then `intent<TAB>text` per line (blank lines and
 * lines starting with `#` are skipped). Throws naming the file and line of an unknown intent or a missing text.
 */
export function readIntentTsv(path: string | URL): IntentExample[] {
  const name = path instanceof URL ? path.pathname : path;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const out: IntentExample[] = [];
  lines.slice(1).forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    const intent = (tab < 0 ? line : line.slice(0, tab)).trim();
    const text = tab < 0 ? '' : line.slice(tab + 1).trim();
    if (!LABELS.has(intent)) throw new Error(`${name}:${i + 2}: unknown intent '${intent}' (expected one of ${INTENT_LABELS.join(', ')})`);
    if (!text) throw new Error(`${name}:${i + 2}: no text after the intent`);
    out.push({ intent: intent as Intent, text });
  });
  return out;
}

/** How a classifier did on labelled lines. */
export interface IntentEvaluation {
  readonly lines: number;
  readonly accuracy: number;
  /** Rows: true intent; columns: predicted intent; counts. */
  readonly confusion: Record<Intent, Record<Intent, number>>;
  /** Share of each intent's lines classified as that intent (NaN-free: intents without lines are left out). */
  readonly recall: Partial<Record<Intent, number>>;
  /** The lines it got wrong. */
  readonly errors: readonly { text: string; intent: Intent; predicted: Intent }[];
}

/** Classify `examples` (one batch) and score the predictions: accuracy, confusion matrix, per-intent recall. */
export async function evaluateIntents(
  classify: (texts: string[]) => Promise<readonly { intent: Intent }[]> | readonly { intent: Intent }[],
  examples: readonly IntentExample[],
): Promise<IntentEvaluation> {
  return scoreIntents(examples, await classify(examples.map((e) => e.text)));
}

/** Score predictions (in the order of `examples`): accuracy, confusion matrix, per-intent recall. */
export function scoreIntents(examples: readonly IntentExample[], predicted: readonly { intent: Intent }[]): IntentEvaluation {
  if (predicted.length !== examples.length) throw new Error(`classifier returned ${predicted.length} results for ${examples.length} lines`);
  const confusion = Object.fromEntries(INTENT_LABELS.map((t) => [t, Object.fromEntries(INTENT_LABELS.map((p) => [p, 0]))])) as Record<Intent, Record<Intent, number>>;
  const errors: { text: string; intent: Intent; predicted: Intent }[] = [];
  examples.forEach((e, i) => {
    const p = (predicted[i] as { intent: Intent }).intent;
    confusion[e.intent][p]++;
    if (p !== e.intent) errors.push({ text: e.text, intent: e.intent, predicted: p });
  });
  const recall: Partial<Record<Intent, number>> = {};
  for (const t of INTENT_LABELS) {
    const n = INTENT_LABELS.reduce((s, p) => s + confusion[t][p], 0);
    if (n) recall[t] = confusion[t][t] / n;
  }
  return { lines: examples.length, accuracy: examples.length ? (examples.length - errors.length) / examples.length : 0, confusion, recall, errors };
}

/** The confusion matrix as aligned text: rows true intent, columns predicted, and each row's recall. */
export function formatConfusion(ev: IntentEvaluation): string {
  const short = (l: string): string => l.slice(0, 6);
  const w = Math.max('true \\ predicted'.length, ...INTENT_LABELS.map((l) => l.length));
  const head = `${'true \\ predicted'.padEnd(w)} ${INTENT_LABELS.map((l) => short(l).padStart(6)).join(' ')}  recall`;
  const rows = INTENT_LABELS.map((t) => {
    const r = ev.recall[t];
    return `${t.padEnd(w)} ${INTENT_LABELS.map((p) => String(ev.confusion[t][p] || '.').padStart(6)).join(' ')}  ${r === undefined ? '-' : r.toFixed(2)}`;
  });
  return [head, ...rows].join('\n');
}
