import type { Action, ChatReply, ChatRequest, Decision, Mind, MindRequest, Personality, PersonalityRequest, ReplyInput, ThinkRequest } from '../actors/index.ts';
import { ACTION_LABELS, TEMPERAMENTS, VOICES } from './catalog.ts';
import type { DenseRunner } from './denseRunner.ts';
import { extractEntities } from './entities.ts';
import type { IntentClassifier } from './intentClassifier.ts';
import { softmaxRow } from './nn/mlp.ts';
import { parseChat, personalityProblem, thinkProblem, thinkShape } from './payloads.ts';
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

/** The policy's output width; {@link decision} is unrolled over exactly these nine actions. */
const ACTION_COUNT: 9 = ACTION_LABELS.length;

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

/**
 * The buffers of one think batch, reused from tick to tick so that a tick allocates only its replies: feature
 * rows, the request index of each row, and the model's answer. That answer is either the model's own softmax
 * rows (`probs`, the model's output array), or, from the logits and teacher paths, each row's action (an index
 * into ACTION_LABELS) and confidence.
 */
class ThinkBuffers {
  readonly capacity: number;
  readonly x: Float32Array;
  readonly at: Int32Array;
  probs: Float32Array | undefined;
  readonly action: Uint8Array;
  readonly confidence: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.x = new Float32Array(capacity * POLICY_INPUTS);
    this.at = new Int32Array(capacity);
    this.probs = undefined;
    this.action = new Uint8Array(capacity);
    this.confidence = new Float64Array(capacity);
  }
}

/** Layer 3 decisions: a tick's think requests → features → one batched policy call → argmax actions. */
export class ThinkMind implements Mind {
  readonly stats = newStats();
  private readonly runner: DenseRunner;
  private readonly probs: boolean;
  /** Buffers for the next batch; a batch that starts while another is in flight gets its own. */
  private spare: ThinkBuffers | undefined;
  /** Softmax scratch of the logits and teacher paths. */
  private readonly p = new Float64Array(ACTION_COUNT);
  private readonly z = new Float32Array(ACTION_COUNT);

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
    const n = batch.length, W = POLICY_INPUTS;
    const buf = this.take(n);
    try {
      for (let r = 0; r < n; r++) {
        const b = batch[r] as ThinkRequest;
        policyFeatures(b.perception, b.traits, buf.x, r * W);
      }
      const source = await this.infer(buf, n);
      const out: Decision[] = new Array(n);
      for (let r = 0; r < n; r++) out[r] = decision(buf, r, source);
      this.account(n, source === 'fallback' ? n : 0, t0);
      return out;
    } finally {
      this.give(buf);
    }
  }

  async serve(requests: readonly MindRequest[], signal?: AbortSignal): Promise<ReplyInput[]> {
    const t0 = performance.now();
    const n = requests.length;
    const replies: ReplyInput[] = new Array(n);
    const buf = this.take(n);
    try {
      const m = featureRows(requests, signal?.aborted ?? false, buf, replies);
      this.stats.errors += n - m;
      const source = await this.infer(buf, m);
      decisionReplies(requests, buf, m, source, replies);
      this.account(n, source === 'fallback' ? m : 0, t0);
      return replies;
    } finally {
      this.give(buf);
    }
  }

  private take(n: number): ThinkBuffers {
    const buf = this.spare;
    if (buf && buf.capacity >= n) {
      this.spare = undefined;
      return buf;
    }
    return new ThinkBuffers(Math.max(64, n * 2));
  }

  private give(buf: ThinkBuffers): void {
    buf.probs = undefined;
    if (!this.spare || this.spare.capacity < buf.capacity) this.spare = buf;
  }

  private account(n: number, fallbacks: number, t0: number): void {
    const ms = performance.now() - t0;
    this.stats.requests += n;
    this.stats.batches++;
    this.stats.lastBatchMs = ms;
    this.stats.totalMs += ms;
    this.stats.fallbacks += fallbacks;
  }

  /**
   * Run the first `m` feature rows of `buf` through the policy (or its rule teacher) and leave the answer in
   * `buf` (see {@link ThinkBuffers}). Returns which path answered.
   */
  private async infer(buf: ThinkBuffers, m: number): Promise<Decision['source']> {
    if (m === 0) return 'model';
    const W = POLICY_INPUTS, K = ACTION_COUNT;
    const res = await this.runner.run(buf.x, m, W);
    if (res && this.probs) {
      buf.probs = res.outputs[0] as Float32Array;
      return res.source;
    }
    const action = buf.action, confidence = buf.confidence, p = this.p;
    if (res) {
      const y = res.outputs[0] as Float32Array;
      for (let r = 0; r < m; r++) {
        softmaxRow(y, r, K, p);
        const a = argmax(p, K);
        action[r] = a;
        confidence[r] = p[a] as number;
      }
      return res.source;
    }
    const z = this.z;
    for (let r = 0; r < m; r++) {
      const s = teacherScores(buf.x, r * W);
      for (let c = 0; c < K; c++) z[c] = (s[c] as number) / TEACHER_TEMPERATURE;
      softmaxRow(z, 0, K, p);
      const a = argmax(p, K);
      action[r] = a;
      confidence[r] = p[a] as number;
    }
    return 'fallback';
  }
}

/**
 * The valid think payloads of `requests` as feature rows of `buf` in request order (`buf.at` maps rows back to
 * requests); the others get their error reply in `replies` now. Returns the number of rows. A plain function
 * rather than a loop inside the async `serve`, so that the compiler optimises it on its own.
 */
function featureRows(requests: readonly MindRequest[], aborted: boolean, buf: ThinkBuffers, replies: ReplyInput[]): number {
  const W = POLICY_INPUTS, x = buf.x, at = buf.at, n = requests.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const r = requests[i] as MindRequest, b = r.payload as ThinkRequest;
    const order = aborted ? -1 : thinkShape(b);
    if (order >= 0 && policyFeatures(b.perception, b.traits, x, m * W, order)) {
      at[m++] = i;
    } else {
      replies[i] = fail(r.requestId, aborted ? 'aborted' : (thinkProblem(b) ?? 'payload: not a valid ThinkRequest'));
    }
  }
  return m;
}

/** The replies of the first `m` rows of `buf` (see {@link featureRows}), once {@link ThinkMind} has run them. */
function decisionReplies(requests: readonly MindRequest[], buf: ThinkBuffers, m: number, source: Decision['source'], replies: ReplyInput[]): void {
  const at = buf.at;
  for (let k = 0; k < m; k++) {
    const i = at[k] as number;
    replies[i] = { requestId: (requests[i] as MindRequest).requestId, ok: true, value: decision(buf, k, source) };
  }
}

/**
 * Row `r`'s decision from what {@link ThinkMind} left in `buf`: from softmax rows, the most probable action
 * (the first on ties) and its probability. Unrolled over the nine actions: as a loop its branches mispredict,
 * and decoding a 1000-row tick took twice as long.
 */
function decision(buf: ThinkBuffers, r: number, source: Decision['source']): Decision {
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

/** One request of a chat batch, understood and answered locally (or refused: then only `reply`, an error). */
export interface PreparedChat {
  readonly reply: ReplyInput;
  /** What the reply was written from (absent for a refused request). */
  readonly context?: ReplyContext;
  readonly request?: ChatRequest;
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

  /**
   * Understand a batch (one intent call for all lines), extract what each line names, and write the local reply
   * of each: a reply or an error per request, in order. Cloud dialogue builds on this.
   */
  async prepare(requests: readonly MindRequest[], signal?: AbortSignal): Promise<PreparedChat[]> {
    const t0 = performance.now();
    const out: (PreparedChat | undefined)[] = new Array(requests.length);
    const ok: { i: number; request: ChatRequest; ctx: Omit<ReplyContext, 'intent' | 'confidence'> }[] = [];
    requests.forEach((r, i) => {
      if (signal?.aborted) {
        out[i] = { reply: fail(r.requestId, 'aborted') };
        this.stats.errors++;
        return;
      }
      const parsed = parseChat(r.payload);
      if (!parsed.ok) {
        out[i] = { reply: fail(r.requestId, parsed.error) };
        this.stats.errors++;
        return;
      }
      const c = parsed.value;
      const text = normalizeChat(c.text);
      const named = extractEntities(text);
      ok.push({
        i, request: c,
        ctx: {
          persona: c.persona, playerName: normalizeChat(c.playerName, 40), text, disposition: c.disposition, memory: c.memory, ...(c.sees && { sees: c.sees }),
          ...(named.name !== undefined && { givenName: named.name }), topics: [...named.places, ...named.items],
        },
      });
    });
    const intents = await this.classifier.classify(ok.map((o) => o.ctx.text));
    const contexts: ReplyContext[] = ok.map((o, k) => ({ ...o.ctx, intent: (intents[k] as { intent: ChatReply['intent'] }).intent, confidence: (intents[k] as { confidence: number }).confidence }));
    const written = await this.writer.write(contexts);
    ok.forEach((o, k) => {
      const c = contexts[k] as ReplyContext;
      const w = written[k] as { reply: string; source: 'model' | 'grammar' };
      const value: ChatReply = {
        intent: c.intent, confidence: c.confidence, reply: w.reply, heard: c.text, ...(c.givenName !== undefined && { givenName: c.givenName }),
        ...(c.topics?.length && { topics: c.topics }), source: w.source === 'model' ? 'model' : 'local',
      };
      out[o.i] = { reply: { requestId: (requests[o.i] as MindRequest).requestId, ok: true, value }, context: c, request: o.request };
      if ((intents[k] as { source: string }).source === 'fallback') this.stats.fallbacks++;
    });
    const ms = performance.now() - t0;
    Object.assign(this.stats, { requests: this.stats.requests + requests.length, batches: this.stats.batches + 1, lastBatchMs: ms, totalMs: this.stats.totalMs + ms });
    return out as PreparedChat[];
  }

  async serve(requests: readonly MindRequest[], signal?: AbortSignal): Promise<ReplyInput[]> {
    return (await this.prepare(requests, signal)).map((p) => p.reply);
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
