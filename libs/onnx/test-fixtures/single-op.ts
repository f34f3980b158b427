/** One-op (or few-op) models for shape-inference checks against onnxruntime. */
import { DataType, ModelBuilder, int64, onnx, type Dim } from '@edgefit/onnx';
import { SeededRng } from '@edgefit/core';
import { ort } from './ort.js';
import { mainGraph, shapelessValue } from './models.js';

type Attrs = Parameters<ModelBuilder['node']>[3];
export interface OpSpec {
  op: string;
  /** Graph inputs: name, shape, element type (default FLOAT). */
  inputs: [string, Dim[], number?][];
  initializers?: onnx.TensorProto[];
  /** Node inputs in order ('' for a skipped optional input); default: graph inputs, then initializers. */
  nodeInputs?: string[];
  attrs?: Attrs;
  /** Output names, or [name, element type] when not FLOAT ('' skips an optional output). */
  outputs: (string | [string, number])[];
  opset?: number;
  domain?: string;
}

/** A model running one op; graph outputs are shapeless so onnxruntime reports its own shapes. */
export function singleOp(spec: OpSpec): onnx.ModelProto {
  const b = new ModelBuilder(spec.op.toLowerCase(), spec.opset ?? 17);
  for (const [name, shape, type] of spec.inputs) b.input(name, shape, type);
  for (const t of spec.initializers ?? []) b.initializer(t);
  const inputs = spec.nodeInputs ?? [...spec.inputs.map((i) => i[0]), ...(spec.initializers ?? []).map((t) => t.name)];
  const outputs = spec.outputs.map((o) => (typeof o === 'string' ? [o, DataType.FLOAT] as const : o));
  b.node(spec.op, inputs, outputs.map((o) => o[0]), spec.attrs ?? {}, 'op');
  const model = b.build();
  if (spec.domain) {
    mainGraph(model).node[0]!.domain = spec.domain;
    model.opsetImport.push(onnx.OperatorSetIdProto.create({ domain: spec.domain, version: 1 }));
  }
  mainGraph(model).output = outputs.filter((o) => o[0]).map(([name, type]) => shapelessValue(name, type));
  return model;
}

const ORT_TYPES: Record<number, ort.Tensor.Type> = {
  [DataType.FLOAT]: 'float32', [DataType.INT64]: 'int64', [DataType.INT32]: 'int32', [DataType.UINT8]: 'uint8', [DataType.INT8]: 'int8', [DataType.BOOL]: 'bool',
};

/** Seeded feeds for every graph input that is not an initializer. */
export function feedsFor(model: onnx.ModelProto, seed = 3): Record<string, ort.Tensor> {
  const rng = new SeededRng(seed);
  const inits = new Set(mainGraph(model).initializer.map((t) => t.name));
  const feeds: Record<string, ort.Tensor> = {};
  for (const vi of mainGraph(model).input) {
    if (inits.has(vi.name!)) continue;
    const tt = vi.type!.tensorType!;
    const dims = (tt.shape?.dim ?? []).map((d) => (d.dimValue !== null && d.dimValue !== undefined ? int64(d.dimValue as number) : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    const type = ORT_TYPES[tt.elemType ?? 0]!;
    const data =
      type === 'float32' ? Float32Array.from({ length: n }, () => rng.normal())
      : type === 'int64' ? BigInt64Array.from({ length: n }, () => 0n)
      : type === 'int32' ? Int32Array.from({ length: n }, () => 0)
      : type === 'uint8' ? Uint8Array.from({ length: n }, () => rng.int(0, 255))
      : type === 'int8' ? Int8Array.from({ length: n }, () => rng.int(-128, 127))
      : Array.from({ length: n }, () => true);
    feeds[vi.name!] = new ort.Tensor(type, data as never, dims);
  }
  return feeds;
}
