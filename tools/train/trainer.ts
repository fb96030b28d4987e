import { samplePolicyInput, TEACHER_TEMPERATURE, teacherScores, trainMlp, POLICY_HEADS, POLICY_INPUTS } from '../../minds/index.ts';
import type { Example, Mlp } from '../../minds/index.ts';
import { Rng } from '../../shared/index.ts';
import type { PackVoice } from './arena.ts';
import { FULL_STAGE, stageAt, trainSeed, validationSeed } from './curriculum.ts';
import { EvolutionStrategy } from './es.ts';
import type { EvalResult, EvalTask } from './evaluate.ts';
import type { CurvePoint } from './learningCurve.ts';
import { mlpOf, netShape, paramCount, paramsOf } from './policyNet.ts';
import { WorkerPool } from './workerPool.ts';

/** Settings of a training run (all randomness comes from `seed`). */
export interface TrainSettings {
  readonly seed: string;
  readonly generations: number;
  /** Mirrored pairs of perturbations per generation. */
  readonly pairs: number;
  /** Battles each candidate fights per generation (the same seeds for all candidates of a generation). */
  readonly battles: number;
  readonly hidden: number;
  readonly sigma: number;
  readonly lr: number;
  readonly decay: number;
  /** Worker threads (0: evaluate in this thread). */
  readonly workers: number;
  /** Generations between two validations of the current policy. */
  readonly validateEvery: number;
  /** Validation battles (seeds disjoint from training and from the bench's held-out set). */
  readonly validation: number;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  seed: 'lairmind-policy-v1', generations: 200, pairs: 16, battles: 16, hidden: 16, sigma: 0.15, lr: 0.03, decay: 0.002,
  workers: 2, validateEvery: 10, validation: 96,
};

export interface TrainReport {
  readonly settings: TrainSettings;
  /** The policy that did best on validation. */
  readonly model: Mlp;
  readonly bestGeneration: number;
  readonly bestValidationWinRate: number;
  readonly rulesValidationWinRate: number;
  /** The warm start's (the rules distilled into the small network) validation win rate. */
  readonly startValidationWinRate: number;
  readonly points: readonly CurvePoint[];
  readonly seconds: number;
}

/** Voices of the training battles: packs fight with rosters alone and under the tactician, in turn. */
const voiceOf = (k: number): PackVoice => (k % 2 === 0 ? 'roster' : 'tactician');

/**
 * The rules distilled into the small network (supervised, on the rule teacher's soft targets): the starting point
 * of the evolution strategy, so it begins where the rules are and searches for better.
 */
export function warmStart(s: TrainSettings): Mlp {
  const rng = Rng.create(`${s.seed}/warm-start`);
  const examples: Example[] = [];
  for (let i = 0; i < 16000; i++) {
    const x = samplePolicyInput(rng);
    const z = teacherScores(x);
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp((v - m) / TEACHER_TEMPERATURE));
    const sum = e.reduce((a, b) => a + b, 0);
    examples.push({ x, targets: [e.map((v) => v / sum)] });
  }
  return trainMlp(examples, { inputs: POLICY_INPUTS, hidden: s.hidden, heads: POLICY_HEADS, sparse: false, epochs: 12, batch: 32, lr: 0.01, seed: `${s.seed}/warm-start-train` });
}

export interface Progress {
  readonly generation: number;
  readonly generations: number;
  readonly stage: string;
  readonly point: CurvePoint;
}

/**
 * Train the monster policy by evolution strategies on seeded battles: each generation draws its battles from the
 * curriculum stage it is in, every candidate fights the same battles, and the policy is validated on a fixed set
 * every few generations; the best validated policy is the result. Reproducible: the same settings give the same
 * model, whatever the number of workers.
 */
export async function train(s: TrainSettings, onProgress?: (p: Progress) => void): Promise<TrainReport> {
  const t0 = performance.now();
  const shape = netShape(s.hidden);
  const pool = new WorkerPool(s.workers);
  try {
    const es = new EvolutionStrategy(paramsOf(warmStart(s)), s.seed, { pairs: s.pairs, sigma: s.sigma, lr: s.lr, decay: s.decay });
    if (es.theta.length !== paramCount(shape)) throw new Error('training: warm start has the wrong shape');
    const validationTasks = (theta: Float64Array | null): EvalTask[] => {
      const tasks: EvalTask[] = [];
      for (let k = 0; k < s.validation; k += 8) {
        const seeds = Array.from({ length: Math.min(8, s.validation - k) }, (_, i) => validationSeed(k + i));
        tasks.push({ id: tasks.length, theta, hidden: s.hidden, seeds, stage: FULL_STAGE.name, voices: seeds.map((_, i) => voiceOf(k + i)) });
      }
      return tasks;
    };
    const winRate = (rs: readonly EvalResult[]): number => rs.reduce((a, r) => a + r.wins, 0) / Math.max(1, rs.reduce((a, r) => a + r.battles, 0));
    const rulesValidationWinRate = winRate(await pool.run(validationTasks(null)));
    const startValidationWinRate = winRate(await pool.run(validationTasks(es.theta)));
    let best = { theta: Float64Array.from(es.theta), generation: 0, winRate: startValidationWinRate };
    const points: CurvePoint[] = [];
    for (let g = 0; g < s.generations; g++) {
      const stage = stageAt(g, s.generations);
      const seeds = Array.from({ length: s.battles }, (_, k) => trainSeed(s.seed, g, k));
      const voices = seeds.map((_, k) => voiceOf(k));
      const tasks: EvalTask[] = [];
      for (let j = 0; j < 2 * s.pairs; j++) tasks.push({ id: j, theta: es.candidate(g, j), hidden: s.hidden, seeds, stage: stage.name, voices });
      tasks.push({ id: 2 * s.pairs, theta: Float64Array.from(es.theta), hidden: s.hidden, seeds, stage: stage.name, voices });
      const results = await pool.run(tasks);
      const fitness = results.slice(0, 2 * s.pairs).map((r) => r.reward);
      const centre = results[2 * s.pairs] as EvalResult;
      es.step(g, fitness);
      let point: CurvePoint = {
        generation: g + 1, seconds: (performance.now() - t0) / 1000, stage: stage.name,
        fitness: fitness.reduce((a, b) => a + b, 0) / fitness.length, fitnessBest: Math.max(...fitness), winRate: centre.wins / centre.battles,
      };
      if ((g + 1) % s.validateEvery === 0 || g + 1 === s.generations) {
        const v = winRate(await pool.run(validationTasks(es.theta)));
        point = { ...point, validationWinRate: v, rulesWinRate: rulesValidationWinRate };
        // Only policies trained on the full variety compete for the result.
        if (stage === FULL_STAGE && v > best.winRate) best = { theta: Float64Array.from(es.theta), generation: g + 1, winRate: v };
      }
      points.push(point);
      onProgress?.({ generation: g + 1, generations: s.generations, stage: stage.name, point });
    }
    return {
      settings: s, model: mlpOf(best.theta, shape), bestGeneration: best.generation, bestValidationWinRate: best.winRate,
      rulesValidationWinRate, startValidationWinRate, points, seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await pool.close();
  }
}
