import type { Decision, Mind, MindRequest, ReplyInput, ThinkRequest } from '../actors/index.ts';
import type { DenseRunner } from './denseRunner.ts';
import { argmax, failReply } from './mindBatch.ts';
import { newStats } from './mindStats.ts';
import { softmaxRow } from './nn/mlp.ts';
import { thinkProblem, thinkShape } from './payloads.ts';
import { POLICY_INPUTS, TEACHER_TEMPERATURE, policyFeatures, teacherScores } from './policyModel.ts';
import { ThinkBuffers } from './thinkBuffers.ts';
import { ACTION_COUNT, decision } from './thinkDecision.ts';

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
