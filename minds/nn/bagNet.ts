import { Rng } from '../../shared/index.ts';
import type { Mlp } from './mlp.ts';

/**
 * Word-pair features of the intent model: each pair of neighbouring token ids (a, b) is hashed into one of
 * `buckets` extra rows of the embedding table, `offset + (a·k1 + b·k2) mod buckets`. The ONNX graph computes
 * the same from `input_ids`, so the tokenizer stays a plain WordPiece one.
 */
export interface BigramSpec {
  /** First bigram row (the number of token ids). */
  readonly offset: number;
  readonly buckets: number;
  readonly k1: number;
  readonly k2: number;
}

/** Token ids followed by the rows of their neighbouring pairs: the rows one line averages. */
export function bagFeatures(ids: readonly number[], spec: BigramSpec | undefined): number[] {
  if (!spec) return [...ids];
  const out = [...ids];
  for (let i = 0; i + 1 < ids.length; i++) out.push(spec.offset + (((ids[i] as number) * spec.k1 + (ids[i + 1] as number) * spec.k2) % spec.buckets));
  return out;
}

/** One training line: its feature rows (several tokenisations may be given; training draws among them) and its class. */
export interface BagExample {
  readonly variants: readonly (readonly number[])[];
  readonly label: number;
}

/** Settings of {@link trainBag}. */
export interface BagTrainOptions {
  readonly rows: number;
  readonly hidden: number;
  readonly classes: number;
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly seed: string;
  /** Decoupled weight decay (AdamW) of the embedding rows and the output weights. */
  readonly weightDecay: number;
  /** Chance that a feature row of a line is left out (at least one stays). */
  readonly featureDropout: number;
  /** Dropout of hidden units. */
  readonly hiddenDropout: number;
  /** Label smoothing of the softmax target. */
  readonly smoothing: number;
  /** Chance of drawing a line's second tokenisation instead of its first. */
  readonly variantChance: number;
  /** Per-class weight of the loss (default 1 each). */
  readonly classWeights?: readonly number[];
}

/**
 * Train the embedding-bag classifier `relu(mean(E[rows]) + b1) · W + b` with Adam: lazily for the embedding rows
 * a batch touches (the table is large, a batch uses a few hundred rows), densely for the rest. Rows no line ever
 * used are left at zero, so a token the model never saw adds nothing. Deterministic for the same inputs.
 */
export function trainBag(examples: readonly BagExample[], o: BagTrainOptions): Mlp {
  const rng = Rng.create(o.seed);
  const R = o.rows, H = o.hidden, K = o.classes;
  const E = new Float64Array(R * H);
  const scale = 1 / Math.sqrt(H);
  for (let i = 0; i < E.length; i++) E[i] = rng.float(-scale, scale);
  const b1 = new Float64Array(H);
  const W = new Float64Array(H * K);
  for (let i = 0; i < W.length; i++) W[i] = rng.normal(0, Math.sqrt(2 / H));
  const b = new Float64Array(K);

  const gE = new Float64Array(R * H), mE = new Float64Array(R * H), vE = new Float64Array(R * H);
  const dense = [b1, W, b];
  const gD = dense.map((p) => new Float64Array(p.length)), mD = dense.map((p) => new Float64Array(p.length)), vD = dense.map((p) => new Float64Array(p.length));
  const decayD = [0, o.weightDecay, 0];
  const used = new Uint8Array(R);
  const touched = new Int32Array(R);
  const mark = new Uint8Array(R);
  const rowSteps = new Int32Array(R);
  const B1 = 0.9, B2 = 0.999, EPS = 1e-8;
  const weights = o.classWeights ?? new Array<number>(K).fill(1);

  const pre = new Float64Array(H), h = new Float64Array(H), keep = new Float64Array(H), dh = new Float64Array(H), z = new Float64Array(K), dz = new Float64Array(K);
  const rows: number[] = [];
  const order = examples.map((_, i) => i);
  let t = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const perm = rng.shuffle(order);
    const lr = o.lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * epoch) / o.epochs)));
    for (let start = 0; start < perm.length; start += o.batch) {
      const end = Math.min(perm.length, start + o.batch);
      let nTouched = 0;
      for (let q = start; q < end; q++) {
        const ex = examples[perm[q] as number] as BagExample;
        const src = (ex.variants.length > 1 && rng.chance(o.variantChance) ? ex.variants[1] : ex.variants[0]) as readonly number[];
        rows.length = 0;
        for (const r of src) if (!rng.chance(o.featureDropout)) rows.push(r);
        if (rows.length === 0 && src.length) rows.push(src[rng.int(0, src.length - 1)] as number);
        const inv = 1 / Math.max(1, rows.length);
        for (let j = 0; j < H; j++) pre[j] = b1[j] as number;
        for (const r of rows) {
          const o0 = r * H;
          for (let j = 0; j < H; j++) pre[j] = (pre[j] as number) + (E[o0 + j] as number) * inv;
        }
        for (let j = 0; j < H; j++) {
          keep[j] = rng.chance(o.hiddenDropout) ? 0 : 1 / (1 - o.hiddenDropout);
          h[j] = Math.max(0, pre[j] as number) * (keep[j] as number);
        }
        let max = -Infinity;
        for (let c = 0; c < K; c++) {
          let s = b[c] as number;
          for (let j = 0; j < H; j++) s += (h[j] as number) * (W[j * K + c] as number);
          z[c] = s;
          max = Math.max(max, s);
        }
        let sum = 0;
        for (let c = 0; c < K; c++) sum += Math.exp((z[c] as number) - max);
        const wgt = weights[ex.label] ?? 1;
        for (let c = 0; c < K; c++) {
          const target = (c === ex.label ? 1 - o.smoothing : 0) + o.smoothing / K;
          dz[c] = wgt * (Math.exp((z[c] as number) - max) / sum - target);
        }
        const gb1 = gD[0] as Float64Array, gW = gD[1] as Float64Array, gb = gD[2] as Float64Array;
        dh.fill(0);
        for (let c = 0; c < K; c++) {
          const d = dz[c] as number;
          gb[c] = (gb[c] as number) + d;
          for (let j = 0; j < H; j++) {
            gW[j * K + c] = (gW[j * K + c] as number) + d * (h[j] as number);
            dh[j] = (dh[j] as number) + d * (W[j * K + c] as number);
          }
        }
        for (let j = 0; j < H; j++) {
          dh[j] = (pre[j] as number) > 0 ? (dh[j] as number) * (keep[j] as number) : 0;
          gb1[j] = (gb1[j] as number) + (dh[j] as number);
        }
        for (const r of rows) {
          const o0 = r * H;
          for (let j = 0; j < H; j++) gE[o0 + j] = (gE[o0 + j] as number) + (dh[j] as number) * inv;
          if (!mark[r]) {
            mark[r] = 1;
            touched[nTouched++] = r;
          }
        }
      }
      t++;
      const n = end - start;
      const c1 = 1 - B1 ** t, c2 = 1 - B2 ** t;
      for (let p = 0; p < dense.length; p++) {
        const P = dense[p] as Float64Array, G = gD[p] as Float64Array, M = mD[p] as Float64Array, V = vD[p] as Float64Array, wd = decayD[p] as number;
        for (let i = 0; i < P.length; i++) {
          const g = (G[i] as number) / n;
          M[i] = B1 * (M[i] as number) + (1 - B1) * g;
          V[i] = B2 * (V[i] as number) + (1 - B2) * g * g;
          P[i] = (P[i] as number) * (1 - lr * wd) - (lr * ((M[i] as number) / c1)) / (Math.sqrt((V[i] as number) / c2) + EPS);
          G[i] = 0;
        }
      }
      for (let k = 0; k < nTouched; k++) {
        const r = touched[k] as number;
        mark[r] = 0;
        used[r] = 1;
        const st = (rowSteps[r] as number) + 1;
        rowSteps[r] = st;
        const rc1 = 1 - B1 ** st, rc2 = 1 - B2 ** st;
        const o0 = r * H;
        for (let j = 0; j < H; j++) {
          const i = o0 + j;
          const g = (gE[i] as number) / n;
          mE[i] = B1 * (mE[i] as number) + (1 - B1) * g;
          vE[i] = B2 * (vE[i] as number) + (1 - B2) * g * g;
          E[i] = (E[i] as number) * (1 - lr * o.weightDecay) - (lr * ((mE[i] as number) / rc1)) / (Math.sqrt((vE[i] as number) / rc2) + EPS);
          gE[i] = 0;
        }
      }
    }
  }
  for (let r = 0; r < R; r++) if (!used[r]) E.fill(0, r * H, (r + 1) * H);
  return {
    inputs: R,
    hidden: H,
    w1: Float32Array.from(E),
    b1: Float32Array.from(b1),
    heads: [{ name: 'logits', size: K, kind: 'softmax', w: Float32Array.from(W), b: Float32Array.from(b) }],
  };
}
