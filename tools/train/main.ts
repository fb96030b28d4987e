// `npm run models:train [-- --generations N --workers N --seed S --out DIR]`: trains the monster policy in the
// simulator and writes it (default: models/policy-learned/) with its learning curve (learning-curve.html/.png).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeLearningCurve } from './learningCurve.ts';
import { ProgressBar } from './progressBar.ts';
import { DEFAULT_SETTINGS, train } from './trainer.ts';
import type { TrainSettings } from './trainer.ts';
import { writePolicyFolder } from './writePolicyFolder.ts';

const { values } = parseArgs({
  options: {
    generations: { type: 'string' }, workers: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
    pairs: { type: 'string' }, battles: { type: 'string' }, validation: { type: 'string' },
  },
});

/** A whole number from an option, or the default; anything else stops with the option named. */
function whole(name: string, v: string | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`models:train: --${name} must be a whole number from ${min} to ${max}, got '${v}'`);
    process.exit(2);
  }
  return n;
}

const settings: TrainSettings = {
  ...DEFAULT_SETTINGS,
  seed: values.seed ?? DEFAULT_SETTINGS.seed,
  generations: whole('generations', values.generations, DEFAULT_SETTINGS.generations, 1, 100_000),
  workers: whole('workers', values.workers, DEFAULT_SETTINGS.workers, 0, 64),
  pairs: whole('pairs', values.pairs, DEFAULT_SETTINGS.pairs, 1, 1000),
  battles: whole('battles', values.battles, DEFAULT_SETTINGS.battles, 1, 1000),
  validation: whole('validation', values.validation, DEFAULT_SETTINGS.validation, 1, 10_000),
};
const out = resolve(values.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'policy-learned'));

console.log(`training the monster policy: ${settings.generations} generations × ${2 * settings.pairs} candidates × ${settings.battles} battles on ${settings.workers} worker(s), seed '${settings.seed}'`);
const bar = new ProgressBar({ total: settings.generations, label: 'models:train' });
const report = await train(settings, (p) => bar.update(p.generation, { stage: p.stage, fitness: p.point.fitness, winRate: p.point.validationWinRate ?? p.point.winRate }));
bar.done();
writePolicyFolder(out, report);
const files = writeLearningCurve(out, {
  title: 'Monster policy: evolution strategies in the simulator',
  seed: settings.seed,
  points: report.points,
  notes: [
    `validation win rate: rules ${report.rulesValidationWinRate.toFixed(3)}, start (rules distilled) ${report.startValidationWinRate.toFixed(3)}, best ${report.bestValidationWinRate.toFixed(3)} at generation ${report.bestGeneration}`,
  ],
});
console.table({
  generations: settings.generations,
  'best generation': report.bestGeneration,
  'validation win rate (rules)': Number(report.rulesValidationWinRate.toFixed(3)),
  'validation win rate (start)': Number(report.startValidationWinRate.toFixed(3)),
  'validation win rate (learned)': Number(report.bestValidationWinRate.toFixed(3)),
  'training seconds': Math.round(report.seconds),
});
console.log(`policy written to ${out}; learning curve: ${files.html}, ${files.png}`);
