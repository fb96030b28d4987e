import { ElemType, encodeModel } from './onnxGraph.ts';
import type { DecodedModel, Initializer, NodeSpec } from './onnxGraph.ts';
import type { BigramSpec } from './bagNet.ts';
import type { HeadSpec, Mlp } from './mlp.ts';

function headNodes(m: Mlp, hidden: string): { nodes: NodeSpec[]; inits: Initializer[] } {
  const nodes: NodeSpec[] = [];
  const inits: Initializer[] = [];
  for (const hd of m.heads) {
    inits.push({ name: `${hd.name}.W`, dims: [m.hidden, hd.size], data: hd.w }, { name: `${hd.name}.b`, dims: [hd.size], data: hd.b });
    if (hd.kind === 'sigmoid') {
      nodes.push({ op: 'Gemm', inputs: [hidden, `${hd.name}.W`, `${hd.name}.b`], outputs: [`${hd.name}_pre`] });
      nodes.push({ op: 'Sigmoid', inputs: [`${hd.name}_pre`], outputs: [hd.name] });
    } else {
      nodes.push({ op: 'Gemm', inputs: [hidden, `${hd.name}.W`, `${hd.name}.b`], outputs: [hd.name] });
    }
  }
  return { nodes, inits };
}

/**
 * ONNX bytes of a dense MLP: input `features` [batch, inputs] → one output per head [batch, size]; with
 * `probs`, also `<head>_probs`, the softmax of each softmax head (so decoding need not exponentiate).
 */
export function denseMlpOnnx(m: Mlp, name: string, doc: string, probs = false): Uint8Array {
  const heads = headNodes(m, 'hidden');
  const soft = probs ? m.heads.filter((h) => h.kind === 'softmax') : [];
  return encodeModel({
    name,
    docString: doc,
    inputs: [{ name: 'features', elemType: ElemType.float, shape: ['batch', m.inputs] }],
    outputs: [
      ...m.heads.map((h) => ({ name: h.name, elemType: ElemType.float, shape: ['batch', h.size] })),
      ...soft.map((h) => ({ name: `${h.name}_probs`, elemType: ElemType.float, shape: ['batch', h.size] })),
    ],
    initializers: [{ name: 'W1', dims: [m.inputs, m.hidden], data: m.w1 }, { name: 'b1', dims: [m.hidden], data: m.b1 }, ...heads.inits],
    nodes: [
      { op: 'Gemm', inputs: ['features', 'W1', 'b1'], outputs: ['hidden_pre'] },
      { op: 'Relu', inputs: ['hidden_pre'], outputs: ['hidden'] },
      ...heads.nodes,
      ...soft.map((h) => ({ op: 'Softmax', inputs: [h.name], outputs: [`${h.name}_probs`], attrs: { axis: 1 } })),
    ],
  });
}

const INT64_MAX = 9223372036854775807n;
const i64 = (name: string, values: readonly bigint[], scalar = false): Initializer => ({ name, dims: scalar ? [] : [values.length], data: BigInt64Array.from(values) });

/**
 * Nodes that append the word-pair rows of {@link BigramSpec} to `input_ids` and their mask to `attention_mask`:
 * `ids` → `all_ids`, `attention_mask` → `all_mask` (a pair counts when both its tokens do).
 */
function bigramNodes(spec: BigramSpec): { nodes: NodeSpec[]; inits: Initializer[] } {
  return {
    inits: [
      i64('bigram.k1', [BigInt(spec.k1)], true), i64('bigram.k2', [BigInt(spec.k2)], true),
      i64('bigram.buckets', [BigInt(spec.buckets)], true), i64('bigram.offset', [BigInt(spec.offset)], true),
      i64('pair.start0', [0n]), i64('pair.end0', [-1n]), i64('pair.start1', [1n]), i64('pair.end1', [INT64_MAX]),
    ],
    nodes: [
      { op: 'Slice', inputs: ['input_ids', 'pair.start0', 'pair.end0', 'axis1'], outputs: ['ids_left'] },
      { op: 'Slice', inputs: ['input_ids', 'pair.start1', 'pair.end1', 'axis1'], outputs: ['ids_right'] },
      { op: 'Slice', inputs: ['attention_mask', 'pair.start0', 'pair.end0', 'axis1'], outputs: ['mask_left'] },
      { op: 'Slice', inputs: ['attention_mask', 'pair.start1', 'pair.end1', 'axis1'], outputs: ['mask_right'] },
      { op: 'Mul', inputs: ['mask_left', 'mask_right'], outputs: ['pair_mask'] },
      { op: 'Mul', inputs: ['ids_left', 'bigram.k1'], outputs: ['hash_left'] },
      { op: 'Mul', inputs: ['ids_right', 'bigram.k2'], outputs: ['hash_right'] },
      { op: 'Add', inputs: ['hash_left', 'hash_right'], outputs: ['hash_sum'] },
      { op: 'Mod', inputs: ['hash_sum', 'bigram.buckets'], outputs: ['hash_bucket'], attrs: { fmod: 0 } },
      { op: 'Add', inputs: ['hash_bucket', 'bigram.offset'], outputs: ['pair_ids'] },
      { op: 'Concat', inputs: ['input_ids', 'pair_ids'], outputs: ['all_ids'], attrs: { axis: 1 } },
      { op: 'Concat', inputs: ['attention_mask', 'pair_mask'], outputs: ['all_mask'], attrs: { axis: 1 } },
    ],
  };
}

/**
 * ONNX bytes of an embedding-bag classifier in the shape transformers.js expects of a sequence classifier:
 * inputs `input_ids` and `attention_mask` (int64 [batch, sequence]) → `logits` [batch, labels]. With `bigrams`,
 * the rows of neighbouring token pairs (hashed in the graph) join the bag.
 */
export function bagMlpOnnx(m: Mlp, name: string, doc: string, bigrams?: BigramSpec): Uint8Array {
  const heads = headNodes(m, 'hidden');
  const pairs = bigrams ? bigramNodes(bigrams) : { nodes: [], inits: [] };
  const ids = bigrams ? 'all_ids' : 'input_ids', mask = bigrams ? 'all_mask' : 'attention_mask';
  return encodeModel({
    name,
    docString: doc,
    inputs: [
      { name: 'input_ids', elemType: ElemType.int64, shape: ['batch', 'sequence'] },
      { name: 'attention_mask', elemType: ElemType.int64, shape: ['batch', 'sequence'] },
    ],
    outputs: m.heads.map((h) => ({ name: h.name, elemType: ElemType.float, shape: ['batch', h.size] })),
    initializers: [
      { name: 'W1', dims: [m.inputs, m.hidden], data: m.w1 },
      { name: 'b1', dims: [m.hidden], data: m.b1 },
      { name: 'axis1', dims: [1], data: BigInt64Array.from([1n]) },
      { name: 'axis2', dims: [1], data: BigInt64Array.from([2n]) },
      { name: 'one', dims: [], data: Float32Array.from([1]) },
      ...pairs.inits,
      ...heads.inits,
    ],
    nodes: [
      ...pairs.nodes,
      { op: 'Gather', inputs: ['W1', ids], outputs: ['emb'], attrs: { axis: 0 } },
      { op: 'Cast', inputs: [mask], outputs: ['maskf'], attrs: { to: ElemType.float } },
      { op: 'Unsqueeze', inputs: ['maskf', 'axis2'], outputs: ['mask3'] },
      { op: 'Mul', inputs: ['emb', 'mask3'], outputs: ['masked'] },
      { op: 'ReduceSum', inputs: ['masked', 'axis1'], outputs: ['summed'], attrs: { keepdims: 0 } },
      { op: 'ReduceSum', inputs: ['maskf', 'axis1'], outputs: ['count0'], attrs: { keepdims: 1 } },
      { op: 'Max', inputs: ['count0', 'one'], outputs: ['count'] },
      { op: 'Div', inputs: ['summed', 'count'], outputs: ['mean'] },
      { op: 'Add', inputs: ['mean', 'b1'], outputs: ['hidden_pre'] },
      { op: 'Relu', inputs: ['hidden_pre'], outputs: ['hidden'] },
      ...heads.nodes,
    ],
  });
}

/** The word-pair hashing of a model written by {@link bagMlpOnnx}, or `undefined` when it has none. */
export function bigramSpecFromDecoded(d: DecodedModel): BigramSpec | undefined {
  const v = (name: string): number | undefined => d.ints.get(name)?.data[0];
  const k1 = v('bigram.k1'), k2 = v('bigram.k2'), buckets = v('bigram.buckets'), offset = v('bigram.offset');
  if (k1 === undefined || k2 === undefined || buckets === undefined || offset === undefined) return undefined;
  return { k1, k2, buckets, offset };
}

/**
 * The weights of a model written by {@link denseMlpOnnx} or {@link bagMlpOnnx}, for the plain-JS forward
 * pass; `undefined` when the file is some other network (e.g. a user's replacement model).
 */
export function mlpFromDecoded(d: DecodedModel, heads: readonly HeadSpec[]): Mlp | undefined {
  const W1 = d.weights.get('W1'), B1 = d.weights.get('b1');
  if (!W1 || !B1 || W1.dims.length !== 2) return undefined;
  const [inputs, hidden] = W1.dims as [number, number];
  if (B1.data.length !== hidden) return undefined;
  const hw = [];
  for (const h of heads) {
    const W = d.weights.get(`${h.name}.W`), B = d.weights.get(`${h.name}.b`);
    if (!W || !B || W.data.length !== hidden * h.size || B.data.length !== h.size) return undefined;
    hw.push({ ...h, w: W.data, b: B.data });
  }
  return { inputs, hidden, w1: W1.data, b1: B1.data, heads: hw };
}
