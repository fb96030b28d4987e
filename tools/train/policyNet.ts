import type { Decision, Mind, MindRequest, ReplyInput, ThinkRequest } from '../../actors/index.ts';
import { ACTION_LABELS, POLICY_HEADS, POLICY_INPUTS, policyFeatures } from '../../minds/index.ts';
import type { Mlp } from '../../minds/index.ts';

const K = ACTION_LABELS.length;

/** Sizes of the learned policy: POLICY_INPUTS → hidden (relu) → one logit per action. */
export interface NetShape {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
}

export const netShape = (hidden: number): NetShape => ({ inputs: POLICY_INPUTS, hidden, outputs: K });

/** Numbers in a parameter vector: W1 (inputs × hidden), b1, W2 (hidden × outputs), b2. */
export const paramCount = (s: NetShape): number => s.inputs * s.hidden + s.hidden + s.hidden * s.outputs + s.outputs;

/** A parameter vector from an {@link Mlp} with one softmax head (the policy's layout). */
export function paramsOf(m: Mlp): Float64Array {
  const head = m.heads[0];
  if (!head || m.heads.length !== 1) throw new Error(`policy network: expected one head, got ${m.heads.length}`);
  const out = new Float64Array(paramCount({ inputs: m.inputs, hidden: m.hidden, outputs: head.size }));
  out.set(m.w1, 0);
  out.set(m.b1, m.w1.length);
  out.set(head.w, m.w1.length + m.b1.length);
  out.set(head.b, m.w1.length + m.b1.length + head.w.length);
  return out;
}

/** The {@link Mlp} (float32 weights, as ONNX stores them) of a parameter vector. */
export function mlpOf(theta: Float64Array, s: NetShape): Mlp {
  if (theta.length !== paramCount(s)) throw new Error(`policy network: ${theta.length} parameters, expected ${paramCount(s)} for ${s.inputs}→${s.hidden}→${s.outputs}`);
  const a = s.inputs * s.hidden, b = a + s.hidden, c = b + s.hidden * s.outputs;
  const head = POLICY_HEADS[0] as (typeof POLICY_HEADS)[number];
  return {
    inputs: s.inputs, hidden: s.hidden,
    w1: Float32Array.from(theta.subarray(0, a)), b1: Float32Array.from(theta.subarray(a, b)),
    heads: [{ ...head, w: Float32Array.from(theta.subarray(b, c)), b: Float32Array.from(theta.subarray(c)) }],
  };
}

/**
 * A think mind on a parameter vector, in plain JS: features as the ThinkMind writes them, the network rounded
 * to float32 as the ONNX file will hold it, and the most probable action (the first on ties). Training runs
 * thousands of battles with it; the shipped model gives the same decisions through onnxruntime.
 */
export class PolicyNetMind implements Mind {
  private readonly m: Mlp;
  private readonly x = new Float32Array(POLICY_INPUTS);
  private readonly h: Float64Array;
  private readonly decisions: Decision[];

  constructor(theta: Float64Array, shape: NetShape) {
    this.m = mlpOf(theta, shape);
    this.h = new Float64Array(shape.hidden);
    this.decisions = ACTION_LABELS.map((action) => Object.freeze({ action, confidence: 1, source: 'model' as const }));
  }

  /** The index of the action chosen for one feature row. */
  act(x: Float32Array): number {
    const { w1, b1, inputs: I, hidden: H } = this.m;
    const head = this.m.heads[0] as Mlp['heads'][number];
    const h = this.h;
    for (let j = 0; j < H; j++) h[j] = b1[j] as number;
    for (let i = 0; i < I; i++) {
      const xi = x[i] as number;
      if (xi === 0) continue;
      const r = i * H;
      for (let j = 0; j < H; j++) h[j] = (h[j] as number) + xi * (w1[r + j] as number);
    }
    let best = 0, bestZ = -Infinity;
    for (let k = 0; k < K; k++) {
      let z = head.b[k] as number;
      for (let j = 0; j < H; j++) {
        const hj = h[j] as number;
        if (hj > 0) z += hj * (head.w[j * K + k] as number);
      }
      if (z > bestZ) {
        bestZ = z;
        best = k;
      }
    }
    return best;
  }

  async serve(requests: readonly MindRequest[]): Promise<ReplyInput[]> {
    return requests.map((r) => {
      const b = r.payload as ThinkRequest;
      if (!b?.perception || !b.traits || !policyFeatures(b.perception, b.traits, this.x, 0)) return { requestId: r.requestId, ok: false, error: 'payload: not a valid ThinkRequest' };
      return { requestId: r.requestId, ok: true, value: this.decisions[this.act(this.x)] };
    });
  }
}
