import { ElemType, encodeModel } from './onnxGraph.ts';

/**
 * A word-level causal language model small enough to train in plain JS: the next word is read from the
 * current word, the word before it, and a few context features, through one ReLU layer:
 *
 *   h = relu(last[w_t] + prev[w_{t-1}] + min(1, Σ_{p≤t} feature_p) · context + bias),  logits = h · head + headBias
 *
 * A feature fires at position p when the word before "opens" it and the word at p "completes" it
 * (`feature_p = opens[w_{p-1}] ⊙ completes[w_p]`): e.g. `(` + `trade` marks the intent tag of the prompt,
 * `wary` + `towards` the stance. Features are counted over the whole prompt, so they condition every
 * word generated after it.
 */
export interface WordLm {
  readonly vocab: number;
  readonly hidden: number;
  readonly features: number;
  /** vocab × hidden: the current word's share of the hidden layer. */
  readonly last: Float32Array;
  /** vocab × hidden: the previous word's share. */
  readonly prev: Float32Array;
  /** vocab × features: the features a word opens for the word after it. */
  readonly opens: Float32Array;
  /** vocab × features: the features a word completes when the word before opened them. */
  readonly completes: Float32Array;
  /** features × hidden. */
  readonly context: Float32Array;
  /** hidden. */
  readonly bias: Float32Array;
  /** hidden × vocab. */
  readonly head: Float32Array;
  /** vocab. */
  readonly headBias: Float32Array;
}

/**
 * ONNX bytes of a {@link WordLm} in the shape transformers.js runs as a decoder-only model (`gpt2`, one layer,
 * one head): inputs `input_ids`, `attention_mask` and `past_key_values.0.key/value`, outputs `logits`
 * [batch, sequence, vocab] and `present.0.key/value`. The cache holds, per position, the word's `prev` row and
 * `opens` row (key, hidden + features wide) and the features that fired there (value, features wide); each
 * call appends its positions, so the past grows by the input length as transformers.js expects. Positions the
 * attention mask hides (left padding) add no features.
 */
export function wordLmOnnx(m: WordLm, name: string, doc: string): Uint8Array {
  const { vocab: V, hidden: H, features: F } = m;
  const key = new Float32Array(V * (H + F));
  for (let w = 0; w < V; w++) {
    key.set(m.prev.subarray(w * H, (w + 1) * H), w * (H + F));
    key.set(m.opens.subarray(w * F, (w + 1) * F), w * (H + F) + H);
  }
  const i64 = (tensor: string, values: readonly bigint[], dims: readonly number[] = [values.length]): { name: string; dims: readonly number[]; data: BigInt64Array } => ({ name: tensor, dims, data: BigInt64Array.from(values) });
  return encodeModel({
    name,
    docString: doc,
    inputs: [
      { name: 'input_ids', elemType: ElemType.int64, shape: ['batch_size', 'sequence_length'] },
      { name: 'attention_mask', elemType: ElemType.int64, shape: ['batch_size', 'total_sequence_length'] },
      { name: 'past_key_values.0.key', elemType: ElemType.float, shape: ['batch_size', 1, 'past_sequence_length', H + F] },
      { name: 'past_key_values.0.value', elemType: ElemType.float, shape: ['batch_size', 1, 'past_sequence_length', F] },
    ],
    outputs: [
      { name: 'logits', elemType: ElemType.float, shape: ['batch_size', 'sequence_length', V] },
      { name: 'present.0.key', elemType: ElemType.float, shape: ['batch_size', 1, 'total_sequence_length', H + F] },
      { name: 'present.0.value', elemType: ElemType.float, shape: ['batch_size', 1, 'total_sequence_length', F] },
    ],
    initializers: [
      { name: 'key.weight', dims: [V, H + F], data: key },
      { name: 'completes.weight', dims: [V, F], data: m.completes },
      { name: 'last.weight', dims: [V, H], data: m.last },
      { name: 'context.weight', dims: [F, H], data: m.context },
      { name: 'hidden.bias', dims: [H], data: m.bias },
      { name: 'lm_head.weight', dims: [H, V], data: m.head },
      { name: 'lm_head.bias', dims: [V], data: m.headBias },
      i64('axes1', [1n]),
      i64('axes2', [2n]),
      i64('axes13', [1n, 3n]),
      i64('axis2', [2n], []),
      i64('one', [1n]),
      i64('two', [2n]),
      i64('minus1', [-1n]),
      i64('zero', [0n]),
      i64('hidden', [BigInt(H)]),
      i64('hiddenFeatures', [BigInt(H + F)]),
      i64('end', [9223372036854775807n]),
      i64('pads', [0n, 0n, 1n, 0n, 0n, 0n, 0n, 0n]),
      { name: 'f0', dims: [], data: Float32Array.from([0]) },
      { name: 'f1', dims: [], data: Float32Array.from([1]) },
    ],
    nodes: [
      // Append this call's words to the key cache; shifted by one, it gives each new position its previous word.
      { op: 'Gather', inputs: ['key.weight', 'input_ids'], outputs: ['key_new'], attrs: { axis: 0 } },
      { op: 'Unsqueeze', inputs: ['key_new', 'axes1'], outputs: ['key_new4'] },
      { op: 'Concat', inputs: ['past_key_values.0.key', 'key_new4'], outputs: ['present.0.key'], attrs: { axis: 2 } },
      { op: 'Pad', inputs: ['present.0.key', 'pads'], outputs: ['key_shifted'] },
      { op: 'Shape', inputs: ['input_ids'], outputs: ['ids_shape'] },
      { op: 'Slice', inputs: ['ids_shape', 'one', 'two', 'zero'], outputs: ['seq_len'] },
      { op: 'Neg', inputs: ['seq_len'], outputs: ['neg_seq'] },
      { op: 'Sub', inputs: ['neg_seq', 'one'], outputs: ['prev_start'] },
      { op: 'Slice', inputs: ['key_shifted', 'prev_start', 'minus1', 'axes2'], outputs: ['prev_key4'] },
      { op: 'Squeeze', inputs: ['prev_key4', 'axes1'], outputs: ['prev_key'] },
      { op: 'Slice', inputs: ['prev_key', 'zero', 'hidden', 'axes2'], outputs: ['prev_h'] },
      { op: 'Slice', inputs: ['prev_key', 'hidden', 'hiddenFeatures', 'axes2'], outputs: ['prev_opens'] },
      // Features that fire at the new positions, appended to the value cache.
      { op: 'Gather', inputs: ['completes.weight', 'input_ids'], outputs: ['completes_new'], attrs: { axis: 0 } },
      { op: 'Mul', inputs: ['prev_opens', 'completes_new'], outputs: ['value_new'] },
      { op: 'Unsqueeze', inputs: ['value_new', 'axes1'], outputs: ['value_new4'] },
      { op: 'Concat', inputs: ['past_key_values.0.value', 'value_new4'], outputs: ['present.0.value'], attrs: { axis: 2 } },
      // Features seen so far at each new position (padding masked out), at most 1 each.
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], attrs: { to: ElemType.float } },
      { op: 'Unsqueeze', inputs: ['mask_f', 'axes13'], outputs: ['mask4'] },
      { op: 'Mul', inputs: ['present.0.value', 'mask4'], outputs: ['value_masked'] },
      { op: 'CumSum', inputs: ['value_masked', 'axis2'], outputs: ['seen'] },
      { op: 'Slice', inputs: ['seen', 'neg_seq', 'end', 'axes2'], outputs: ['seen_new4'] },
      { op: 'Squeeze', inputs: ['seen_new4', 'axes1'], outputs: ['seen_new'] },
      { op: 'Clip', inputs: ['seen_new', 'f0', 'f1'], outputs: ['ctx'] },
      { op: 'MatMul', inputs: ['ctx', 'context.weight'], outputs: ['ctx_h'] },
      // The hidden layer and the word logits at every new position.
      { op: 'Gather', inputs: ['last.weight', 'input_ids'], outputs: ['last_h'], attrs: { axis: 0 } },
      { op: 'Add', inputs: ['last_h', 'prev_h'], outputs: ['h1'] },
      { op: 'Add', inputs: ['h1', 'ctx_h'], outputs: ['h2'] },
      { op: 'Add', inputs: ['h2', 'hidden.bias'], outputs: ['h3'] },
      { op: 'Relu', inputs: ['h3'], outputs: ['h'] },
      { op: 'MatMul', inputs: ['h', 'lm_head.weight'], outputs: ['logits_raw'] },
      { op: 'Add', inputs: ['logits_raw', 'lm_head.bias'], outputs: ['logits'] },
    ],
  });
}

/** Features seen up to the end of `ids` (each at most 1), as the graph counts them. */
export function wordLmFeatures(m: WordLm, ids: readonly number[]): Float32Array {
  const F = m.features;
  const seen = new Float32Array(F);
  for (let p = 1; p < ids.length; p++) {
    const a = (ids[p - 1] as number) * F, b = (ids[p] as number) * F;
    for (let f = 0; f < F; f++) seen[f] = (seen[f] as number) + (m.opens[a + f] as number) * (m.completes[b + f] as number);
  }
  for (let f = 0; f < F; f++) seen[f] = Math.min(1, Math.max(0, seen[f] as number));
  return seen;
}

/** Logits of the word after `ids` (at least one word), in plain JS: what the graph computes at the last position. */
export function wordLmNext(m: WordLm, ids: readonly number[], seen = wordLmFeatures(m, ids)): Float32Array {
  const { vocab: V, hidden: H, features: F } = m;
  const last = ids[ids.length - 1] as number, prev = ids.length > 1 ? (ids[ids.length - 2] as number) : -1;
  const h = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    let s = (m.bias[j] as number) + (m.last[last * H + j] as number) + (prev >= 0 ? (m.prev[prev * H + j] as number) : 0);
    for (let f = 0; f < F; f++) s += (seen[f] as number) * (m.context[f * H + j] as number);
    h[j] = Math.max(0, s);
  }
  const out = new Float32Array(V);
  for (let k = 0; k < V; k++) {
    let s = m.headBias[k] as number;
    for (let j = 0; j < H; j++) s += (h[j] as number) * (m.head[j * V + k] as number);
    out[k] = s;
  }
  return out;
}

/** Greedy continuation of `ids` until `eos` or `maxNew` words (the words only, without `eos`). */
export function wordLmGreedy(m: WordLm, ids: readonly number[], eos: number, maxNew: number): { words: number[]; ended: boolean } {
  const seq = [...ids];
  const seen = wordLmFeatures(m, seq);
  const words: number[] = [];
  for (let t = 0; t < maxNew; t++) {
    const z = wordLmNext(m, seq, seen);
    let best = 0;
    for (let k = 1; k < z.length; k++) if ((z[k] as number) > (z[best] as number)) best = k;
    if (best === eos) return { words, ended: true };
    // Features the new word completes join the context, as in the graph.
    const a = (seq[seq.length - 1] as number) * m.features, b = best * m.features;
    for (let f = 0; f < m.features; f++) seen[f] = Math.min(1, (seen[f] as number) + (m.opens[a + f] as number) * (m.completes[b + f] as number));
    seq.push(best);
    words.push(best);
  }
  return { words, ended: false };
}
