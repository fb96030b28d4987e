// Benchmark of the local minds: a tick's think batch through the MindService vs onnxruntime alone, and the chat path;
// then NPC replies streamed from a cloud model (bench/dialogue.ts).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { MindRequest, Perception, ThinkRequest } from '../actors/index.ts';
import type { Intent } from '../actors/index.ts';
import {
  BUILD_SEED, BUILTIN_MODELS_DIR, INTENT_DEV_TSV, MindService, NATURAL_INTENTS_TSV, ORDERS, POLICY_INPUTS, evaluateIntents, formatConfusion, intentCorpus, policyFeatures, readIntentTsv,
} from '../minds/index.ts';
import { Rng } from '../shared/index.ts';
import { quantile, round } from './stats.ts';
import { runDialogueBench } from './dialogue.ts';

const SIZES = [100, 1000, 5000] as const;

function thinkRequests(n: number, rng: Rng): MindRequest[] {
  return Array.from({ length: n }, (_, i) => {
    const perception: Perception = {
      threatDist: rng.chance(0.8) ? rng.float(0, 20) : -1, threatBearing: rng.float(-3, 3), allyDist: rng.chance(0.6) ? rng.float(0, 20) : -1, allyBearing: rng.float(-3, 3),
      health: rng.next(), targetHealth: rng.next(), packNearby: rng.int(0, 6), terrainCost: 1, cover: rng.next(), sinceHit: rng.float(0, 60),
      order: rng.chance(0.7) ? 'none' : rng.pick(ORDERS),
    };
    const traits = { aggression: rng.next(), courage: rng.next(), sociability: rng.next(), greed: rng.next(), curiosity: rng.next(), cunning: rng.next() };
    return { requestId: i, actor: i + 1, port: 'think', payload: { perception, traits }, deadline: 1e9 };
  });
}

async function timeIt(reps: number, fn: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms;
}

/** The batch's feature rows, written into `x`, as the raw onnxruntime call takes them. */
function featureTensor(requests: readonly MindRequest[], x: Float32Array): ort.Tensor {
  requests.forEach((r, i) => {
    const p = r.payload as ThinkRequest;
    policyFeatures(p.perception, p.traits, x, i * POLICY_INPUTS);
  });
  return new ort.Tensor('float32', x, [requests.length, POLICY_INPUTS]);
}

/** One sample's batch: the requests for the service, and the same rows as a tensor for the raw call. */
interface Batch {
  readonly requests: readonly MindRequest[];
  readonly tensor: ort.Tensor;
}

/**
 * Median ms per batch of the service and of onnxruntime alone over `reps` samples, interleaved so that machine
 * noise hits both alike; `batch(i)` gives sample i's batch (built outside the timed part).
 */
async function interleaved(service: MindService, raw: ort.InferenceSession, reps: number, batch: (i: number) => Batch): Promise<{ tick: number; rawTick: number }> {
  const svc: number[] = [], ortMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const { requests, tensor } = batch(i);
    svc.push(...(await timeIt(1, () => service.think.serve(requests))));
    ortMs.push(...(await timeIt(1, () => raw.run({ features: tensor }, ['logits_probs']))));
  }
  return { tick: quantile(svc, 0.5), rawTick: quantile(ortMs, 0.5) };
}

/**
 * The size also timed with a new batch of requests before every sample, as a live room builds them each tick.
 * The reused batch is read from where the collector has settled it; fresh requests sit among the garbage of
 * their making, and reading them costs more.
 */
const FRESH_SIZE = 1000;

/** Metrics of the minds benchmark: flat numbers, and the natural-line confusion matrix (rows true, columns predicted) when that set exists. */
export type MindsBenchResult = Record<string, number> & { confusion?: Record<Intent, Record<Intent, number>> };

/** Run the minds benchmark; returns flat metrics and prints a table. */
export async function runMindsBench(opts: { smoke: boolean }): Promise<MindsBenchResult> {
  const reps = opts.smoke ? 5 : 200;
  const service = await MindService.create({ logger: (l) => console.warn(l) });
  const raw = await ort.InferenceSession.create(readFileSync(join(BUILTIN_MODELS_DIR, 'policy', 'onnx', 'model.onnx')), {
    executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all',
  });
  const out: Record<string, number> = {};
  const rng = Rng.create('bench-minds');
  for (const a of SIZES) {
    const requests = thinkRequests(a, rng);
    const reused: Batch = { requests, tensor: featureTensor(requests, new Float32Array(a * POLICY_INPUTS)) };
    await timeIt(20, () => service.think.serve(requests)); // warm-up
    await timeIt(20, () => raw.run({ features: reused.tensor }, ['logits_probs']));
    const { tick, rawTick } = await interleaved(service, raw, reps, () => reused);
    out[`mind_tick_ms@${a}`] = round(tick, 4);
    out[`decisions_per_s@${a}`] = Math.round(a / (tick / 1000));
    out[`raw_ort_decisions_per_s@${a}`] = Math.round(a / (rawTick / 1000));
    out[`service_vs_raw@${a}`] = round(rawTick / tick, 3);
    if (a === FRESH_SIZE) {
      const x = new Float32Array(a * POLICY_INPUTS);
      const fresh = await interleaved(service, raw, reps, (i) => {
        const batch = thinkRequests(a, Rng.create(`bench-minds-fresh/${i}`));
        return { requests: batch, tensor: featureTensor(batch, x) };
      });
      out[`mind_tick_ms_fresh@${a}`] = round(fresh.tick, 4);
      out[`service_vs_raw_fresh@${a}`] = round(fresh.rawTick / fresh.tick, 3);
    }
  }

  const { test } = intentCorpus(`${BUILD_SEED}/intent-corpus`);
  const lines = test.map((e) => e.text);
  await timeIt(20, () => service.chat.classify([lines[0] as string]));
  const single = await timeIt(opts.smoke ? 10 : 300, async () => service.chat.classify([rng.pick(lines)]));
  out.intent_p50_ms = round(quantile(single, 0.5), 4);
  const batch = lines.slice(0, 512);
  await timeIt(3, () => service.chat.classify(batch));
  out.intent_batch512_ms = round(quantile(await timeIt(opts.smoke ? 3 : 50, () => service.chat.classify(batch)), 0.5), 4);
  const persona = { name: 'Fenrik', role: 'the old wolf of the Grey Hollow', species: 'wolf', mood: 'wary', knows: ['my lair is the Grey Hollow, north of the river', 'the ford lies east, past the broken mill'] };
  const replies = await timeIt(opts.smoke ? 10 : 300, () => service.chat.answer([{ player: 1, playerName: 'Ada', text: rng.pick(lines), persona, disposition: rng.float(-1, 1), memory: null }]));
  out.reply_p50_ms = round(quantile(replies, 0.5), 4);
  const res = await service.chat.classify(lines);
  out.intent_heldout_accuracy = round(res.filter((r, i) => r.intent === test[i]?.intent).length / test.length, 4);
  const classify = (texts: string[]): Promise<{ intent: Intent }[]> => service.chat.classify(texts);
  out.intent_dev_accuracy = round((await evaluateIntents(classify, readIntentTsv(INTENT_DEV_TSV))).accuracy, 4);
  // The independent natural lines are judged only when someone has put them in place.
  let confusion: Record<Intent, Record<Intent, number>> | undefined;
  const naturalPath = fileURLToPath(NATURAL_INTENTS_TSV);
  if (existsSync(naturalPath)) {
    const natural = await evaluateIntents(classify, readIntentTsv(naturalPath));
    out.intent_natural_accuracy = round(natural.accuracy, 4);
    out.intent_natural_lines = natural.lines;
    confusion = natural.confusion;
    console.log(`intent on ${naturalPath} (${natural.lines} lines): accuracy ${natural.accuracy.toFixed(4)}; rows true, columns predicted:\n${formatConfusion(natural)}`);
  } else {
    console.log(`intent_natural_accuracy skipped: ${naturalPath} is missing (a TSV of natural chat lines, header then intent<TAB>text)`);
  }

  await raw.release();
  await service.close();
  Object.assign(out, await runDialogueBench(opts));
  const rows: Record<string, Record<string, number>> = {};
  for (const a of SIZES) {
    rows[`A=${a}`] = {
      mind_tick_ms: out[`mind_tick_ms@${a}`] as number, decisions_per_s: out[`decisions_per_s@${a}`] as number,
      raw_ort_decisions_per_s: out[`raw_ort_decisions_per_s@${a}`] as number, service_vs_raw: out[`service_vs_raw@${a}`] as number,
    };
  }
  rows[`A=${FRESH_SIZE}, fresh`] = {
    mind_tick_ms: out[`mind_tick_ms_fresh@${FRESH_SIZE}`] as number, service_vs_raw: out[`service_vs_raw_fresh@${FRESH_SIZE}`] as number,
  };
  console.table(rows);
  console.table({
    intent_p50_ms: out.intent_p50_ms, intent_batch512_ms: out.intent_batch512_ms, reply_p50_ms: out.reply_p50_ms, intent_heldout_accuracy: out.intent_heldout_accuracy,
    intent_dev_accuracy: out.intent_dev_accuracy, ...(out.intent_natural_accuracy === undefined ? {} : { intent_natural_accuracy: out.intent_natural_accuracy }),
  });
  return confusion ? Object.assign(out, { confusion }) : out;
}
