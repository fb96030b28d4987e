import type { Action, ChatReply, Decision, Mind, MindRequest, Personality, PersonalityRequest, ReplyInput, ThinkRequest } from '../actors/index.ts';
import { ACTION_LABELS, TEMPERAMENTS, VOICES } from './catalog.ts';
import type { DenseRunner } from './denseRunner.ts';
import type { IntentClassifier } from './intentClassifier.ts';
import { softmaxRow } from './nn/mlp.ts';
import { parseChat, personalityProblem, thinkProblem } from './payloads.ts';
import { PERSONALITY_INPUTS, personalityFeatures, teacherPersonality, traitsObject } from './personalityModel.ts';
import { POLICY_INPUTS, TEACHER_TEMPERATURE, policyFeatures, teacherScores } from './policyModel.ts';
import type { ReplyContext } from './replyGrammar.ts';
import type { ReplyWriter } from './replyWriter.ts';
import { normalizeChat } from './text.ts';

/** Counters of one mind (cumulative since start). */
export interface MindStats {
  requests: number;
  batches: number;
  /** Requests refused (bad payload, aborted). */
  errors: number;
  /** Requests answered by a fallback (plain-JS pass, rule teacher, reply grammar after a model failure). */
  fallbacks: number;
  /** Wall time of the last batch, ms. */
  lastBatchMs: number;
  totalMs: number;
}

export const newStats = (): MindStats => ({ requests: 0, batches: 0, errors: 0, fallbacks: 0, lastBatchMs: 0, totalMs: 0 });

const fail = (requestId: number, error: string): ReplyInput => ({ requestId, ok: false, error });

function argmax(p: ArrayLike<number>, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if ((p[c] as number) > (p[best] as number)) best = c;
  return best;
}

/** Splits a batch into valid payloads (in order) and error replies (by index). */
function triage<T>(requests: readonly MindRequest[], problem: (p: unknown) => string | undefined, signal: AbortSignal | undefined, stats: MindStats): { idx: number[]; payloads: T[]; replies: (ReplyInput | undefined)[] } {
  const replies: (ReplyInput | undefined)[] = new Array(requests.length);
  const idx: number[] = [], payloads: T[] = [];
  const aborted = signal?.aborted ?? false;
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i] as MindRequest;
    const why = aborted ? 'aborted' : problem(r.payload);
    if (why) {
      replies[i] = fail(r.requestId, why);
      stats.errors++;
    } else {
      idx.push(i);
      payloads.push(r.payload as T);
    }
  }
  return { idx, payloads, replies };
}

/** Layer 3 decisions: a tick's think requests → features → one batched policy call → argmax actions. */
export class ThinkMind implements Mind {
  readonly stats = newStats();
  private readonly runner: DenseRunner;
  private readonly probs: boolean;
  /** Feature buffer reused across ticks (a fresh one while a batch is in flight). */
  private buf = new Float32Array(0);
  private busy = false;

  /** `probs`: the runner's output is already the softmax (`logits_probs`), not logits. */
  constructor(runner: DenseRunner, probs: boolean) {
    this.runner = runner;
    this.probs = probs;
  }

  /** Decide for plain requests (no ids): the same path as {@link serve}. Throws on an invalid request. */
  async decide(batch: readonly ThinkRequest[]): Promise<Decision[]> {
    batch.forEach((b, i) => {
      const why = thinkProblem(b);
      if (why) throw new TypeError(`think request ${i}: ${why}`);
    });
    const t0 = performance.now();
    const decisions = await this.run(batch);
    this.account(batch.length, decisions, t0);
    return decisions;
  }

  async serve(requests: readonly MindRequest[], signal?: AbortSignal): Promise<ReplyInput[]> {
    const t0 = performance.now();
    const { idx, payloads, replies } = triage<ThinkRequest>(requests, thinkProblem, signal, this.stats);
    const decisions = await this.run(payloads);
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k] as number;
      replies[i] = { requestId: (requests[i] as MindRequest).requestId, ok: true, value: decisions[k] };
    }
    this.account(requests.length, decisions, t0);
    return replies as ReplyInput[];
  }

  private account(n: number, decisions: readonly Decision[], t0: number): void {
    const ms = performance.now() - t0;
    this.stats.requests += n;
    this.stats.batches++;
    this.stats.lastBatchMs = ms;
    this.stats.totalMs += ms;
    for (const d of decisions) if (d.source === 'fallback') this.stats.fallbacks++;
  }

  private async run(batch: readonly ThinkRequest[]): Promise<Decision[]> {
    const n = batch.length, W = POLICY_INPUTS, K = ACTION_LABELS.length;
    if (n === 0) return [];
    const own = !this.busy;
    if (own && this.buf.length < n * W) this.buf = new Float32Array(n * W * 2);
    const x = own ? this.buf : new Float32Array(n * W);
    if (own) this.busy = true;
    for (let r = 0; r < n; r++) {
      const b = batch[r] as ThinkRequest;
      policyFeatures(b.perception, b.traits, x, r * W);
    }
    let res;
    try {
      res = await this.runner.run(x, n, W);
    } finally {
      if (own) this.busy = false;
    }
    const out: Decision[] = new Array(n);
    const p = new Float64Array(K);
    if (res) {
      const y = res.outputs[0] as Float32Array;
      for (let r = 0; r < n; r++) {
        let a = 0, best = -Infinity;
        if (this.probs) {
          const o = r * K;
          for (let c = 0; c < K; c++) if ((y[o + c] as number) > best) { best = y[o + c] as number; a = c; }
        } else {
          softmaxRow(y, r, K, p);
          a = argmax(p, K);
          best = p[a] as number;
        }
        out[r] = { action: ACTION_LABELS[a] as Action, confidence: best, source: res.source };
      }
    } else {
      const z = new Float32Array(K);
      for (let r = 0; r < n; r++) {
        const s = teacherScores(x, r * W);
        for (let c = 0; c < K; c++) z[c] = (s[c] as number) / TEACHER_TEMPERATURE;
        softmaxRow(z, 0, K, p);
        const a = argmax(p, K);
        out[r] = { action: ACTION_LABELS[a] as Action, confidence: p[a] as number, source: 'fallback' };
      }
    }
    return out;
  }
}

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

/** Layer 3 dialogue: a tick's chat lines → one batched intent call → replies in character. */
export class ChatMind implements Mind {
  readonly stats = newStats();
  private readonly classifier: IntentClassifier;
  private readonly writer: ReplyWriter;

  constructor(classifier: IntentClassifier, writer: ReplyWriter) {
    this.classifier = classifier;
    this.writer = writer;
  }

  /** Classify lines (normalised and cut to 280 characters first). */
  async classify(texts: readonly string[]): Promise<{ text: string; intent: ChatReply['intent']; confidence: number }[]> {
    const norm = texts.map((t) => normalizeChat(t));
    const res = await this.classifier.classify(norm);
    return res.map((r, i) => ({ text: norm[i] as string, intent: r.intent, confidence: r.confidence }));
  }

  async serve(requests: readonly MindRequest[], signal?: AbortSignal): Promise<ReplyInput[]> {
    const t0 = performance.now();
    const replies: (ReplyInput | undefined)[] = new Array(requests.length);
    const ok: { i: number; ctx: Omit<ReplyContext, 'intent' | 'confidence'> }[] = [];
    requests.forEach((r, i) => {
      if (signal?.aborted) {
        replies[i] = fail(r.requestId, 'aborted');
        this.stats.errors++;
        return;
      }
      const parsed = parseChat(r.payload);
      if (!parsed.ok) {
        replies[i] = fail(r.requestId, parsed.error);
        this.stats.errors++;
        return;
      }
      const c = parsed.value;
      ok.push({ i, ctx: { persona: c.persona, playerName: normalizeChat(c.playerName, 40), text: normalizeChat(c.text), disposition: c.disposition, memory: c.memory } });
    });
    const intents = await this.classifier.classify(ok.map((o) => o.ctx.text));
    const contexts: ReplyContext[] = ok.map((o, k) => ({ ...o.ctx, intent: (intents[k] as { intent: ChatReply['intent'] }).intent, confidence: (intents[k] as { confidence: number }).confidence }));
    const written = await this.writer.write(contexts);
    ok.forEach((o, k) => {
      const c = contexts[k] as ReplyContext;
      const value: ChatReply = { intent: c.intent, confidence: c.confidence, reply: (written[k] as { reply: string }).reply };
      replies[o.i] = { requestId: (requests[o.i] as MindRequest).requestId, ok: true, value };
      if ((intents[k] as { source: string }).source === 'fallback') this.stats.fallbacks++;
    });
    const ms = performance.now() - t0;
    Object.assign(this.stats, { requests: this.stats.requests + requests.length, batches: this.stats.batches + 1, lastBatchMs: ms, totalMs: this.stats.totalMs + ms });
    return replies as ReplyInput[];
  }

  /** Understand and answer plain chat requests (the same path as {@link serve}); invalid ones throw. */
  async answer(batch: readonly unknown[]): Promise<ChatReply[]> {
    const out = await this.serve(batch.map((payload, i) => ({ requestId: i, actor: 0, port: 'chat', payload, deadline: Infinity })));
    return out.map((r, i) => {
      if (!r.ok) throw new TypeError(`chat request ${i}: ${r.error}`);
      return r.value as ChatReply;
    });
  }
}
