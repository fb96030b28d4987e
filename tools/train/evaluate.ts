import type { Mind } from '../../actors/index.ts';
import { MindService, ThinkMind } from '../../minds/index.ts';
import { battleReward, runBattle } from './arena.ts';
import type { PackVoice } from './arena.ts';
import { battleSpec, STAGES } from './curriculum.ts';
import { netShape, PolicyNetMind } from './policyNet.ts';

/** One piece of work: a policy (a parameter vector, or null for the rules) over some battles of a stage. */
export interface EvalTask {
  readonly id: number;
  readonly theta: Float64Array | null;
  readonly hidden: number;
  readonly seeds: readonly string[];
  readonly stage: string;
  /** Who speaks for the pack in each battle (parallel to `seeds`). */
  readonly voices: readonly PackVoice[];
}

export interface EvalResult {
  readonly id: number;
  /** Mean reward over the battles. */
  readonly reward: number;
  readonly wins: number;
  readonly battles: number;
  readonly dealt: number;
  readonly taken: number;
}

let minds: Promise<{ personality: Mind; rules: Mind }> | undefined;

/** The minds every evaluation shares: personalities from the built-in model (plain-JS pass), and the rules. */
function shared(): Promise<{ personality: Mind; rules: Mind }> {
  minds ??= MindService.create({ config: { runtime: 'js' }, logger: () => {} }).then((s) => ({ personality: s.personality, rules: ThinkMind.rules() }));
  return minds;
}

/** Run one task. Deterministic: the same task gives the same result in any process. */
export async function evaluate(task: EvalTask): Promise<EvalResult> {
  const stage = STAGES.find((s) => s.name === task.stage);
  if (!stage) throw new Error(`evaluate: unknown stage '${task.stage}' (stages: ${STAGES.map((s) => s.name).join(', ')})`);
  const { personality, rules } = await shared();
  const think = task.theta ? new PolicyNetMind(task.theta, netShape(task.hidden)) : rules;
  let reward = 0, wins = 0, dealt = 0, taken = 0;
  for (let k = 0; k < task.seeds.length; k++) {
    const r = await runBattle(battleSpec(task.seeds[k] as string, stage), { personality, think }, { voice: task.voices[k] ?? 'roster' });
    reward += battleReward(r);
    wins += r.win ? 1 : 0;
    dealt += r.dealt;
    taken += r.taken;
  }
  return { id: task.id, reward: reward / Math.max(1, task.seeds.length), wins, battles: task.seeds.length, dealt, taken };
}
