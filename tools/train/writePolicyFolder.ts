import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_LABELS, denseMlpOnnx, ORDERS, POLICY_INPUTS, TRAIT_KEYS } from '../../minds/index.ts';
import type { TrainReport } from './trainer.ts';

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Write the learned policy in the built-in models' folder layout: `config.json` (what it reads and answers, and
 * how it was trained) and `onnx/model.onnx` (features → logits and their softmax, `logits_probs`). Both depend on
 * the training settings alone, so a run with the same settings writes the same bytes.
 */
export function writePolicyFolder(dir: string, r: TrainReport): void {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const s = r.settings;
  writeFileSync(join(dir, 'config.json'), json({
    model_type: 'lairmind-mlp',
    lairmind: {
      kind: 'policy', version: 2, seed: s.seed, inputs: POLICY_INPUTS, hidden: s.hidden, orders: ORDERS, traits: TRAIT_KEYS, actions: ACTION_LABELS,
      training: {
        method: 'evolution strategies (mirrored sampling, centred ranks, Adam) on seeded headless battles, from the rules distilled into this network',
        generations: s.generations, pairs: s.pairs, battles_per_candidate: s.battles, sigma: s.sigma, lr: s.lr, decay: s.decay,
        best_generation: r.bestGeneration,
        validation_battles: s.validation,
        validation_win_rate: r3(r.bestValidationWinRate),
        validation_win_rate_rules: r3(r.rulesValidationWinRate),
        validation_win_rate_start: r3(r.startValidationWinRate),
      },
    },
    id2label: Object.fromEntries(ACTION_LABELS.map((a, i) => [String(i), a])),
  }));
  writeFileSync(join(dir, 'onnx', 'model.onnx'), denseMlpOnnx(r.model, 'lairmind-policy-learned', 'perception features + traits -> action logits (and their softmax, logits_probs); trained in the simulator', true));
}
