import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX element types used here. */
export const ElemType = { float: 1, int64: 7 } as const;

/** A tensor shape: numbers are fixed sizes, strings symbolic (e.g. `batch`). */
export type Shape = readonly (number | string)[];

/** A graph input or output. */
export interface ValueSpec {
  readonly name: string;
  readonly elemType: number;
  readonly shape: Shape;
}

/** A weight tensor stored in the model (float32, or int64 for axes). */
export interface Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/** One graph node. Attributes: ints, floats or int lists. */
export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, number | readonly number[]>>;
  /** Attributes that must be written as floats (e.g. Gemm `alpha`). */
  readonly floatAttrs?: readonly string[];
}

/** A whole graph, written as an ONNX model (IR 7, opset 13) by {@link encodeModel}. */
export interface GraphSpec {
  readonly name: string;
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly initializers: readonly Initializer[];
  readonly nodes: readonly NodeSpec[];
  readonly docString?: string;
}

function valueInfo(v: ValueSpec): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.elemType,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function tensor(t: Initializer): onnxProto.onnx.ITensorProto {
  const isFloat = t.data instanceof Float32Array;
  const bytes = new Uint8Array(t.data.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < t.data.length; i++) {
    if (isFloat) view.setFloat32(i * 4, (t.data as Float32Array)[i] as number, true);
    else view.setBigInt64(i * 8, (t.data as BigInt64Array)[i] as bigint, true);
  }
  return { name: t.name, dims: [...t.dims], dataType: isFloat ? ElemType.float : ElemType.int64, rawData: bytes };
}

function attribute(name: string, value: number | readonly number[], asFloat: boolean): onnxProto.onnx.IAttributeProto {
  if (Array.isArray(value)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...(value as number[])] };
  if (asFloat) return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value as number };
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value as number };
}

/** Serialise a graph as an ONNX model: IR version 7, default-domain opset 13. Deterministic bytes. */
export function encodeModel(g: GraphSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'lairmind',
    producerVersion: '1',
    docString: g.docString ?? '',
    graph: {
      name: g.name,
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
      initializer: g.initializers.map(tensor),
      node: g.nodes.map((n, k) => ({
        name: `${n.op.toLowerCase()}_${k}`,
        opType: n.op,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attrs ?? {}).map(([name, v]) => attribute(name, v, n.floatAttrs?.includes(name) ?? false)),
      })),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** What {@link decodeModel} reads back: graph inputs and outputs with shapes, and initializers by name (float and int64). */
export interface DecodedModel {
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly weights: ReadonlyMap<string, { dims: readonly number[]; data: Float32Array }>;
  /** int64 initializers (axes, constants) as numbers. */
  readonly ints: ReadonlyMap<string, { dims: readonly number[]; data: readonly number[] }>;
  readonly opTypes: readonly string[];
}

function readShape(v: onnxProto.onnx.IValueInfoProto): ValueSpec {
  const tt = v.type?.tensorType;
  const dims = tt?.shape?.dim ?? [];
  return {
    name: v.name ?? '',
    elemType: tt?.elemType ?? 0,
    shape: dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? Number(d.dimValue) : '?')),
  };
}

/** Parse an ONNX file's bytes (throws on bytes that are not a model). */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  const m = onnx.ModelProto.decode(bytes);
  if (!m.graph) throw new Error('no graph in the ONNX file');
  const weights = new Map<string, { dims: readonly number[]; data: Float32Array }>();
  const ints = new Map<string, { dims: readonly number[]; data: readonly number[] }>();
  for (const t of m.graph.initializer ?? []) {
    const dims = (t.dims ?? []).map(Number);
    if (t.dataType === ElemType.int64) {
      let data: number[];
      if (t.rawData && t.rawData.length) {
        const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
        data = Array.from({ length: t.rawData.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
      } else {
        data = (t.int64Data ?? []).map(Number);
      }
      ints.set(t.name ?? '', { dims, data });
      continue;
    }
    if (t.dataType !== ElemType.float) continue;
    let data: Float32Array;
    if (t.rawData && t.rawData.length) {
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      data = new Float32Array(t.rawData.byteLength / 4);
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true);
    } else {
      data = Float32Array.from(t.floatData ?? []);
    }
    weights.set(t.name ?? '', { dims, data });
  }
  const inits = new Set((m.graph.initializer ?? []).map((t) => t.name));
  return {
    inputs: (m.graph.input ?? []).filter((v) => !inits.has(v.name)).map(readShape),
    outputs: (m.graph.output ?? []).map(readShape),
    weights,
    ints,
    opTypes: (m.graph.node ?? []).map((n) => n.opType ?? ''),
  };
}
