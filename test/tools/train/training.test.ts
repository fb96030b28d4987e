import { describe, expect, it } from 'vitest';
import { denseMlpOnnx } from '../../../minds/index.ts';
import { battleReward, runBattle } from '../../../tools/train/arena.ts';
import { battleSpec, FULL_STAGE, heldOutSeed, stageAt, STAGES, trainSeed, validationSeed } from '../../../tools/train/curriculum.ts';
import { centredRanks, EvolutionStrategy } from '../../../tools/train/es.ts';
import { evaluate } from '../../../tools/train/evaluate.ts';
import { DEFAULT_SETTINGS, train } from '../../../tools/train/trainer.ts';
import type { TrainReport } from '../../../tools/train/trainer.ts';

const tiny = { ...DEFAULT_SETTINGS, generations: 2, pairs: 2, battles: 2, validation: 4, validateEvery: 1 };
const bytes = (r: TrainReport): Uint8Array => denseMlpOnnx(r.model, 'policy', '', true);
const withoutTime = (r: TrainReport): unknown => r.points.map(({ seconds: _s, ...p }) => p);

describe('evolution strategies', () => {
  it('centred ranks run from -0.5 to 0.5 and share ties', () => {
    expect(centredRanks([3, 1, 2])).toEqual([0.5, -0.5, 0]);
    expect(centredRanks([1, 1, 2])).toEqual([-0.25, -0.25, 0.5]);
  });

  it('climbs a fitness landscape from its seed, the same way every time', () => {
    const target = Float64Array.from([1, -2, 0.5, 3]);
    const fit = (x: Float64Array): number => -x.reduce((s, v, i) => s + (v - (target[i] as number)) ** 2, 0);
    const run = (): Float64Array => {
      const es = new EvolutionStrategy(new Float64Array(4), 'es-test', { pairs: 8, sigma: 0.1, lr: 0.05, decay: 0 });
      for (let g = 0; g < 300; g++) es.step(g, Array.from({ length: 16 }, (_, j) => fit(es.candidate(g, j))));
      return es.theta;
    };
    const a = run();
    expect(fit(a)).toBeGreaterThan(-0.05);
    expect(fit(new Float64Array(4))).toBeLessThan(-14);
    expect([...run()]).toEqual([...a]);
  });
});

describe('training curriculum and arena', () => {
  it('training, validation and held-out seeds never meet, and stages run easy to hard', () => {
    const train = new Set<string>();
    for (let g = 0; g < 50; g++) for (let k = 0; k < 16; k++) train.add(trainSeed(DEFAULT_SETTINGS.seed, g, k));
    for (let k = 0; k < 200; k++) {
      expect(train.has(heldOutSeed(k))).toBe(false);
      expect(train.has(validationSeed(k))).toBe(false);
      expect(validationSeed(k)).not.toBe(heldOutSeed(k));
    }
    expect(stageAt(0, 100)).toBe(STAGES[0]);
    expect(stageAt(99, 100)).toBe(FULL_STAGE);
    const species = new Set(Array.from({ length: 60 }, (_, i) => battleSpec(heldOutSeed(i), FULL_STAGE).species));
    expect(species.size).toBeGreaterThan(5);
  });

  it('a battle is the same from the same seed, and the reward ranks a win above a loss', async () => {
    const a = await evaluate({ id: 0, theta: null, hidden: 16, seeds: [validationSeed(0), validationSeed(1), validationSeed(2)], stage: FULL_STAGE.name, voices: ['roster', 'tactician', 'none'] });
    const b = await evaluate({ id: 0, theta: null, hidden: 16, seeds: [validationSeed(0), validationSeed(1), validationSeed(2)], stage: FULL_STAGE.name, voices: ['roster', 'tactician', 'none'] });
    expect(b).toEqual(a);
    const base = { win: false, dealt: 100, taken: 100, botsHp: 200, packHp: 160, ticks: 300, packSize: 4, survivors: 0, spread: 3, decisions: 10, stats: null };
    expect(battleReward({ ...base, win: true, survivors: 2 })).toBeGreaterThan(battleReward(base) + 1);
  });

  it('runs a battle with minds that answer garbage without failing', async () => {
    const junk = { serve: async (rq: readonly { requestId: number }[]) => rq.map((r) => ({ requestId: r.requestId, ok: true as const, value: { nonsense: true } })) };
    const r = await runBattle(battleSpec(validationSeed(3), FULL_STAGE), { think: junk as never, personality: junk as never }, { voice: 'roster' });
    expect(r.ticks).toBeGreaterThan(0);
    expect(r.decisions).toBeGreaterThan(0);
  });
});

describe('training run', () => {
  it('is reproducible from its seed, with or without worker threads', async () => {
    const a = await train({ ...tiny, workers: 0 });
    const b = await train({ ...tiny, workers: 0 });
    const c = await train({ ...tiny, workers: 2 });
    expect(bytes(b)).toEqual(bytes(a));
    expect(bytes(c)).toEqual(bytes(a));
    expect(withoutTime(c)).toEqual(withoutTime(a));
    expect(a.points).toHaveLength(2);
    expect(a.points[1]?.validationWinRate).toBeTypeOf('number');
    const other = await train({ ...tiny, workers: 0, seed: 'another-seed' });
    expect(bytes(other)).not.toEqual(bytes(a));
  }, 180_000);
});
