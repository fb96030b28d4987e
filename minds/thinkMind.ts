import type { Decision, Mind, MindRequest, ReplyInput, ThinkRequest } from '../actors/index.ts';
import type { DenseRunner } from './denseRunner.ts';
import { argmax, failReply } from './mindBatch.ts';
import { newStats } from './mindStats.ts';
import { softmaxRow } from './nn/mlp.ts';
import type { Mlp } from './nn/mlp.ts';
import { thinkProblem, thinkShape } from './payloads.ts';
import { POLICY_INPUTS, TEACHER_TEMPERATURE, policyFeatures, teacherScores } from './policyModel.ts';
import { ThinkBuffers } from './thinkBuffers.ts';
import { ACTION_COUNT, decision } from './thinkDecision.ts';

/** Layer 3 decisions: a tick's think requests → features → one batched policy call → argmax actions. */
export class ThinkMind implements Mind {
  readonly stats = newStats();
  private readonly runner: Pick<DenseRunner, 'run' | 'onModel'>;
  private readonly probs: boolean;
  /** Buffers for the next batch; a batch that starts while another is in flight gets its own. */
  private spare: ThinkBuffers | undefined;
  /** Softmax scratch of the logits and teacher paths. */
  private readonly p = new Float64Array(ACTION_COUNT);
  private readonly z = new Float32Array(ACTION_COUNT);

  /** `probs`: the runner's output is already the softmax (`logits_probs`), not logits. */
  /** The policy's weights, for batches small enough that an in-thread pass beats an onnxruntime call. */
  private readonly small: Mlp | undefined;
  /** Largest batch the in-thread pass takes (0: none). */
  private readonly smallRows: number;
  private readonly hidden: Float64Array;
  /** The same weights in double precision (read without conversions in the in-thread pass). */
  private readonly weights: SmallWeights | undefined;

  /**
   * `probs`: the runner's output is already the softmax (`logits_probs`), not logits. `weights`: the policy's
   * weights when it is a built-in MLP; batches below about {@link SMALL_BATCH_MACS} multiply-adds are then
   * decided in this thread from the same weights (an onnxruntime call costs ~15 µs before it computes anything).
   */
  constructor(runner: Pick<DenseRunner, 'run' | 'onModel'>, probs: boolean, weights?: Mlp) {
    this.runner = runner;
    this.probs = probs;
    const ok = weights && weights.inputs === POLICY_INPUTS && weights.heads.length === 1 && weights.heads[0]?.size === ACTION_COUNT;
    this.small = ok ? weights : undefined;
    this.smallRows = ok ? Math.floor(SMALL_BATCH_MACS / (weights.hidden * (POLICY_INPUTS + ACTION_COUNT))) : 0;
    this.hidden = new Float64Array(ok ? weights.hidden : 0);
    const head = weights?.heads[0];
    this.weights = ok && head ? { w1: Float64Array.from(weights.w1), b1: Float64Array.from(weights.b1), w2: Float64Array.from(head.w), b2: Float64Array.from(head.b) } : undefined;
  }

  /** A think mind deciding by the hand-written rules alone: the baseline the models are measured against. */
  static rules(): ThinkMind {
    return new ThinkMind({ run: () => Promise.resolve(undefined), onModel: false }, false);
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

  /** Row `r` of `buf` through the policy's weights: the most probable action and its probability. */
  private smallRow(buf: ThinkBuffers, r: number): void {
    const I = POLICY_INPUTS, H = this.hidden.length, K = ACTION_COUNT, x = buf.x, o = r * I, h = this.hidden;
    const { w1, b1, w2, b2 } = this.weights as SmallWeights;
    const p = this.p;
    for (let j = 0; j < H; j++) h[j] = b1[j] as number;
    for (let i = 0; i < I; i++) {
      const xi = x[o + i] as number;
      if (xi === 0) continue;
      const wr = i * H;
      for (let j = 0; j < H; j++) h[j] = (h[j] as number) + xi * (w1[wr + j] as number);
    }
    for (let k = 0; k < K; k++) p[k] = b2[k] as number;
    for (let j = 0; j < H; j++) {
      const hj = h[j] as number;
      if (hj <= 0) continue;
      const wr = j * K;
      for (let k = 0; k < K; k++) p[k] = (p[k] as number) + hj * (w2[wr + k] as number);
    }
    let a = 0, best = p[0] as number;
    for (let k = 1; k < K; k++) if ((p[k] as number) > best) { best = p[k] as number; a = k; }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp((p[k] as number) - best);
    buf.action[r] = a;
    buf.confidence[r] = 1 / sum;
  }

  /**
   * Run the first `m` feature rows of `buf` through the policy (or its rule teacher) and leave the answer in
   * `buf` (see {@link ThinkBuffers}). Returns which path answered.
   */
  private async infer(buf: ThinkBuffers, m: number): Promise<Decision['source']> {
    if (m === 0) return 'model';
    const W = POLICY_INPUTS, K = ACTION_COUNT;
    if (this.small && m <= this.smallRows && this.runner.onModel) {
      for (let r = 0; r < m; r++) this.smallRow(buf, r);
      return 'model';
    }
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

interface SmallWeights {
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

/** Multiply-adds below which a batch is decided in this thread rather than by an onnxruntime call. */
export const SMALL_BATCH_MACS = 20_000;

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
      replies[i] = failReply(r.requestId, aborted ? 'aborted' : (thinkProblem(b) ?? 'payload: not a valid ThinkRequest'));
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
