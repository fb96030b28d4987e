import type { Action, Decision } from '../actors/index.ts';
import { ACTION_LABELS } from './catalog.ts';
import type { ThinkBuffers } from './thinkBuffers.ts';

/** The policy's output width; {@link decision} is unrolled over exactly these nine actions. */
export const ACTION_COUNT: 9 = ACTION_LABELS.length;

/**
 * Row `r`'s decision from what {@link ThinkMind} left in `buf`: from softmax rows, the most probable action
 * (the first on ties) and its probability. Unrolled over the nine actions: as a loop its branches mispredict,
 * and decoding a 1000-row tick took twice as long.
 */
export function decision(buf: ThinkBuffers, r: number, source: Decision['source']): Decision {
  const y = buf.probs;
  if (!y) return sharedDecision(buf.action[r] as number, buf.confidence[r] as number, source);
  const o = r * ACTION_COUNT;
  let a = 0, best = -Infinity, v = y[o] as number;
  if (v > best) best = v;
  v = y[o + 1] as number;
  if (v > best) { best = v; a = 1; }
  v = y[o + 2] as number;
  if (v > best) { best = v; a = 2; }
  v = y[o + 3] as number;
  if (v > best) { best = v; a = 3; }
  v = y[o + 4] as number;
  if (v > best) { best = v; a = 4; }
  v = y[o + 5] as number;
  if (v > best) { best = v; a = 5; }
  v = y[o + 6] as number;
  if (v > best) { best = v; a = 6; }
  v = y[o + 7] as number;
  if (v > best) { best = v; a = 7; }
  v = y[o + 8] as number;
  if (v > best) { best = v; a = 8; }
  return sharedDecision(a, best, source);
}

/** Confidence steps kept in a decision (thousandths). */
const CONFIDENCE_STEPS = 1000;
const decisions: (Decision | undefined)[] = new Array<Decision | undefined>(2 * ACTION_COUNT * (CONFIDENCE_STEPS + 1)).fill(undefined);

/**
 * The decision for action `a` at `confidence` (rounded to a thousandth) from `source`: one frozen object per
 * combination, made on first use. A tick of a thousand decisions then allocates no decision objects (and no
 * boxed confidences) for the game loop's collector to sweep; nothing reads a confidence finer than that.
 */
function sharedDecision(a: number, confidence: number, source: Decision['source']): Decision {
  // Clamped and rounded by comparisons and a truncation: Math.round(Math.min(1, Math.max(0, c))) took a third of
  // decoding. For c in (0, 1) this is Math.round; NaN (from a broken custom model) counts as 0.
  const q = confidence > 0 ? (confidence < 1 ? (confidence * CONFIDENCE_STEPS + 0.5) | 0 : CONFIDENCE_STEPS) : 0;
  const k = ((source === 'model' ? 0 : ACTION_COUNT) + a) * (CONFIDENCE_STEPS + 1) + q;
  return (decisions[k] ??= Object.freeze({ action: ACTION_LABELS[a] as Action, confidence: q / CONFIDENCE_STEPS, source }));
}
