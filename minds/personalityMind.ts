import type { Mind, MindRequest, Personality, PersonalityRequest, ReplyInput } from '../actors/index.ts';
import { TEMPERAMENTS, VOICES } from './catalog.ts';
import type { DenseRunner } from './denseRunner.ts';
import { argmax, triage } from './mindBatch.ts';
import { newStats } from './mindStats.ts';
import { personalityProblem } from './payloads.ts';
import { PERSONALITY_INPUTS, personalityFeatures, teacherPersonality, traitsObject } from './personalityModel.ts';

/** Layer 2: species, biome and latent → traits, temperament and voice, one batched call for a tick's spawns. */
export class PersonalityMind implements Mind {
  readonly stats = newStats();
  private readonly runner: DenseRunner;

  constructor(runner: DenseRunner) {
    this.runner = runner;
  }

  /** Personalities for plain requests. Throws on an invalid request. */
  async personalities(batch: readonly PersonalityRequest[]): Promise<Personality[]> {
    batch.forEach((b, i) => {
      const why = personalityProblem(b);
      if (why) throw new TypeError(`personality request ${i}: ${why}`);
    });
    return (await this.run(batch)).values;
  }

  async serve(requests: readonly MindRequest[], signal?: AbortSignal): Promise<ReplyInput[]> {
    const t0 = performance.now();
    const { idx, payloads, replies } = triage<PersonalityRequest>(requests, personalityProblem, signal, this.stats);
    const { values, fallback } = await this.run(payloads);
    idx.forEach((i, k) => { replies[i] = { requestId: (requests[i] as MindRequest).requestId, ok: true, value: values[k] }; });
    const ms = performance.now() - t0;
    Object.assign(this.stats, { requests: this.stats.requests + requests.length, batches: this.stats.batches + 1, lastBatchMs: ms, totalMs: this.stats.totalMs + ms });
    if (fallback) this.stats.fallbacks += idx.length;
    return replies as ReplyInput[];
  }

  private async run(batch: readonly PersonalityRequest[]): Promise<{ values: Personality[]; fallback: boolean }> {
    const n = batch.length, W = PERSONALITY_INPUTS;
    if (n === 0) return { values: [], fallback: false };
    const x = new Float32Array(n * W);
    batch.forEach((b, r) => personalityFeatures(b, x, r * W));
    const res = await this.runner.run(x, n, W);
    if (!res) {
      return {
        values: batch.map((b) => {
          const t = teacherPersonality(b);
          return { traits: traitsObject(t.traits), temperament: t.temperament, voice: t.voice };
        }),
        fallback: true,
      };
    }
    const [traits, temper, voice] = res.outputs as [Float32Array, Float32Array, Float32Array];
    const TK = TEMPERAMENTS.length, VK = VOICES.length;
    const values = batch.map((_, r) => ({
      traits: traitsObject(traits, r * 6),
      temperament: TEMPERAMENTS[argmax(temper.subarray(r * TK, r * TK + TK), TK)] as string,
      voice: VOICES[argmax(voice.subarray(r * VK, r * VK + VK), VK)] as string,
    }));
    return { values, fallback: res.source === 'fallback' };
  }
}
