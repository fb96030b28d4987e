import { Rng } from '../../shared/index.ts';

/** An output head of a {@link Mlp}: `softmax` heads output logits, `sigmoid` heads output values in (0, 1). */
export interface HeadSpec {
  readonly name: string;
  readonly size: number;
  readonly kind: 'softmax' | 'sigmoid';
}

/** Weights of one head: `w` is hidden × size, row-major. */
export interface HeadWeights extends HeadSpec {
  readonly w: Float32Array;
  readonly b: Float32Array;
}

/**
 * A one-hidden-layer network: `h = relu(x·W1 + b1)`, then one linear head per output. With `sparse` inputs
 * `x` is a bag of token ids and `x·W1` is the mean of the W1 rows of the ids (an embedding bag).
 * `w1` is inputs × hidden, row-major (the layout of an ONNX Gemm `B` and of a Gather table).
 */
export interface Mlp {
  readonly inputs: number;
  readonly hidden: number;
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly heads: readonly HeadWeights[];
}

/** Dense forward pass of `n` rows of `x` (n × inputs). Returns one array per head, n × size (logits or sigmoid values). */
export function forwardDense(m: Mlp, x: Float32Array, n: number): Float32Array[] {
  const H = m.hidden, I = m.inputs;
  const h = new Float32Array(n * H);
  for (let r = 0; r < n; r++) {
    const hr = r * H;
    for (let j = 0; j < H; j++) h[hr + j] = m.b1[j] as number;
    for (let i = 0; i < I; i++) {
      const xi = x[r * I + i] as number;
      if (xi === 0) continue;
      const wr = i * H;
      for (let j = 0; j < H; j++) h[hr + j] = (h[hr + j] as number) + xi * (m.w1[wr + j] as number);
    }
    for (let j = 0; j < H; j++) if ((h[hr + j] as number) < 0) h[hr + j] = 0;
  }
  return heads(m, h, n);
}

/** Embedding-bag forward pass: `ids[r]` are the token ids of row r (padding already removed). */
export function forwardBag(m: Mlp, ids: readonly (readonly number[])[]): Float32Array[] {
  const H = m.hidden, n = ids.length;
  const h = new Float32Array(n * H);
  for (let r = 0; r < n; r++) {
    const row = ids[r] as readonly number[];
    const hr = r * H;
    const acc = new Float64Array(H);
    for (const id of row) {
      const wr = id * H;
      for (let j = 0; j < H; j++) acc[j] = (acc[j] as number) + (m.w1[wr + j] as number);
    }
    const inv = 1 / Math.max(1, row.length);
    for (let j = 0; j < H; j++) h[hr + j] = Math.max(0, (acc[j] as number) * inv + (m.b1[j] as number));
  }
  return heads(m, h, n);
}

function heads(m: Mlp, h: Float32Array, n: number): Float32Array[] {
  const H = m.hidden;
  return m.heads.map((hd) => {
    const out = new Float32Array(n * hd.size);
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < hd.size; k++) {
        let s = hd.b[k] as number;
        for (let j = 0; j < H; j++) s += (h[r * H + j] as number) * (hd.w[j * hd.size + k] as number);
        out[r * hd.size + k] = hd.kind === 'sigmoid' ? 1 / (1 + Math.exp(-s)) : s;
      }
    }
    return out;
  });
}

/** Softmax of row `r` of `logits` (n × k) into `out`. */
export function softmaxRow(logits: Float32Array, r: number, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < k; i++) max = Math.max(max, logits[r * k + i] as number);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const e = Math.exp((logits[r * k + i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < k; i++) out[i] = (out[i] as number) / sum;
}

/** One training example: dense features or token ids, and one target per head (a distribution for softmax heads, values for sigmoid heads). */
export interface Example {
  readonly x?: Float32Array;
  readonly ids?: readonly number[];
  readonly targets: readonly (readonly number[])[];
}

/** Training settings. */
export interface TrainOptions {
  readonly inputs: number;
  readonly hidden: number;
  readonly heads: readonly HeadSpec[];
  readonly sparse: boolean;
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly seed: string;
  /** L2 weight decay (default 0). */
  readonly l2?: number;
}

/**
 * Train a {@link Mlp} with Adam on softmax cross-entropy / sigmoid cross-entropy. Deterministic: the same
 * examples and options give the same weights (all randomness comes from `seed`).
 */
export function trainMlp(examples: readonly Example[], o: TrainOptions): Mlp {
  const rng = Rng.create(o.seed);
  const I = o.inputs, H = o.hidden;
  const init = (size: number, fanIn: number): Float64Array => {
    const a = new Float64Array(size);
    const sd = Math.sqrt(2 / fanIn);
    for (let i = 0; i < size; i++) a[i] = rng.normal(0, sd);
    return a;
  };
  const params: Float64Array[] = [init(I * H, o.sparse ? 4 : I), new Float64Array(H)];
  for (const hd of o.heads) params.push(init(H * hd.size, H), new Float64Array(hd.size));
  const grads = params.map((p) => new Float64Array(p.length));
  const m1 = params.map((p) => new Float64Array(p.length));
  const m2 = params.map((p) => new Float64Array(p.length));
  const b1 = 0.9, b2 = 0.999, eps = 1e-8, l2 = o.l2 ?? 0;
  let t = 0;
  const h = new Float64Array(H), pre = new Float64Array(H), dh = new Float64Array(H);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const perm = rng.shuffle(order);
    const lr = o.lr * (0.5 + 0.5 * Math.cos((Math.PI * epoch) / o.epochs));
    for (let start = 0; start < perm.length; start += o.batch) {
      const end = Math.min(perm.length, start + o.batch);
      for (const g of grads) g.fill(0);
      for (let q = start; q < end; q++) {
        const ex = examples[perm[q] as number] as Example;
        const W1 = params[0] as Float64Array, B1 = params[1] as Float64Array;
        // forward
        for (let j = 0; j < H; j++) pre[j] = B1[j] as number;
        if (o.sparse) {
          const ids = ex.ids ?? [];
          const inv = 1 / Math.max(1, ids.length);
          for (const id of ids) for (let j = 0; j < H; j++) pre[j] = (pre[j] as number) + (W1[id * H + j] as number) * inv;
        } else {
          const x = ex.x as Float32Array;
          for (let i = 0; i < I; i++) {
            const xi = x[i] as number;
            if (xi !== 0) for (let j = 0; j < H; j++) pre[j] = (pre[j] as number) + xi * (W1[i * H + j] as number);
          }
        }
        for (let j = 0; j < H; j++) h[j] = Math.max(0, pre[j] as number);
        dh.fill(0);
        o.heads.forEach((hd, k) => {
          const W = params[2 + 2 * k] as Float64Array, B = params[3 + 2 * k] as Float64Array;
          const gW = grads[2 + 2 * k] as Float64Array, gB = grads[3 + 2 * k] as Float64Array;
          const z = new Float64Array(hd.size);
          for (let c = 0; c < hd.size; c++) {
            let s = B[c] as number;
            for (let j = 0; j < H; j++) s += (h[j] as number) * (W[j * hd.size + c] as number);
            z[c] = s;
          }
          const target = ex.targets[k] as readonly number[];
          const dz = new Float64Array(hd.size);
          if (hd.kind === 'softmax') {
            let max = -Infinity;
            for (let c = 0; c < hd.size; c++) max = Math.max(max, z[c] as number);
            let sum = 0;
            for (let c = 0; c < hd.size; c++) sum += Math.exp((z[c] as number) - max);
            for (let c = 0; c < hd.size; c++) dz[c] = Math.exp((z[c] as number) - max) / sum - (target[c] as number);
          } else {
            for (let c = 0; c < hd.size; c++) dz[c] = 1 / (1 + Math.exp(-(z[c] as number))) - (target[c] as number);
          }
          for (let c = 0; c < hd.size; c++) {
            const d = dz[c] as number;
            gB[c] = (gB[c] as number) + d;
            for (let j = 0; j < H; j++) {
              gW[j * hd.size + c] = (gW[j * hd.size + c] as number) + d * (h[j] as number);
              dh[j] = (dh[j] as number) + d * (W[j * hd.size + c] as number);
            }
          }
        });
        const g1 = grads[0] as Float64Array, gb1 = grads[1] as Float64Array;
        for (let j = 0; j < H; j++) if ((pre[j] as number) <= 0) dh[j] = 0;
        for (let j = 0; j < H; j++) gb1[j] = (gb1[j] as number) + (dh[j] as number);
        if (o.sparse) {
          const ids = ex.ids ?? [];
          const inv = 1 / Math.max(1, ids.length);
          for (const id of ids) for (let j = 0; j < H; j++) g1[id * H + j] = (g1[id * H + j] as number) + (dh[j] as number) * inv;
        } else {
          const x = ex.x as Float32Array;
          for (let i = 0; i < I; i++) {
            const xi = x[i] as number;
            if (xi !== 0) for (let j = 0; j < H; j++) g1[i * H + j] = (g1[i * H + j] as number) + xi * (dh[j] as number);
          }
        }
      }
      // Adam step
      t++;
      const scale = 1 / (end - start);
      const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
      for (let p = 0; p < params.length; p++) {
        const P = params[p] as Float64Array, G = grads[p] as Float64Array, M = m1[p] as Float64Array, V = m2[p] as Float64Array;
        const decay = p % 2 === 0 ? l2 : 0;
        for (let i = 0; i < P.length; i++) {
          const g = (G[i] as number) * scale + decay * (P[i] as number);
          if (g === 0 && (M[i] as number) === 0) continue;
          M[i] = b1 * (M[i] as number) + (1 - b1) * g;
          V[i] = b2 * (V[i] as number) + (1 - b2) * g * g;
          P[i] = (P[i] as number) - (lr * ((M[i] as number) / c1)) / (Math.sqrt((V[i] as number) / c2) + eps);
        }
      }
    }
  }
  return {
    inputs: I,
    hidden: H,
    w1: Float32Array.from(params[0] as Float64Array),
    b1: Float32Array.from(params[1] as Float64Array),
    heads: o.heads.map((hd, k) => ({ ...hd, w: Float32Array.from(params[2 + 2 * k] as Float64Array), b: Float32Array.from(params[3 + 2 * k] as Float64Array) })),
  };
}
