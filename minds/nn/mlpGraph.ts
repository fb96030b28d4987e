import { ElemType, encodeModel } from './onnxGraph.ts';
import type { DecodedModel, Initializer, NodeSpec } from './onnxGraph.ts';
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

/**
 * ONNX bytes of an embedding-bag classifier in the shape transformers.js expects of a sequence classifier:
 * inputs `input_ids` and `attention_mask` (int64 [batch, sequence]) → `logits` [batch, labels].
 */
export function bagMlpOnnx(m: Mlp, name: string, doc: string): Uint8Array {
  const heads = headNodes(m, 'hidden');
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
      ...heads.inits,
    ],
    nodes: [
      { op: 'Gather', inputs: ['W1', 'input_ids'], outputs: ['emb'], attrs: { axis: 0 } },
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['maskf'], attrs: { to: ElemType.float } },
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
