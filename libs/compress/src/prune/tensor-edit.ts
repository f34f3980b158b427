import { DataType, elementCount, onnx, tensorData, tensorDims, tensorToFloat32, type TypedData } from '@edgefit/onnx';

/**
 * Small, pure helpers for rewriting initializers. Passes work on a private
 * copy of the model (cloneModel) and replace initializer objects rather than
 * editing shared buffers, so the caller's model is never touched.
 */

/** A deep copy through the wire format: nothing is shared with the original. */
export function cloneModel(model: onnx.IModelProto): onnx.ModelProto {
  return onnx.ModelProto.decode(onnx.ModelProto.encode(model).finish());
}

export function initializerOf(graph: onnx.IGraphProto, name: string): onnx.ITensorProto | undefined {
  return (graph.initializer ?? []).find((t) => t.name === name);
}

/** Replace the initializer named like `tensor` (same position in the list, so encodings stay stable). */
export function replaceInitializer(graph: onnx.IGraphProto, tensor: onnx.TensorProto): void {
  const list = graph.initializer ?? [];
  const i = list.findIndex((t) => t.name === tensor.name);
  if (i < 0) throw new Error(`initializer '${tensor.name}' is not in the graph`);
  list[i] = tensor;
}

function bytesOf(data: TypedData): Uint8Array {
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** A FLOAT initializer with new values (same name, dims and doc string), stored as raw bytes. */
export function withFloatValues(t: onnx.ITensorProto, values: Float32Array, dims: readonly number[] = tensorDims(t)): onnx.TensorProto {
  return onnx.TensorProto.create({ name: t.name ?? '', dims: [...dims], dataType: DataType.FLOAT, rawData: bytesOf(values), ...(t.docString ? { docString: t.docString } : {}) });
}

/** Float values of a FLOAT initializer (a fresh copy). */
export function floatValues(t: onnx.ITensorProto): Float32Array {
  return tensorToFloat32(t, `(initializer '${t.name}')`);
}

/** Element types whose values sliceAxis can copy through a typed array (not the packed 4-bit ones). */
const SLICEABLE: ReadonlySet<number> = new Set([
  DataType.FLOAT, DataType.DOUBLE, DataType.INT8, DataType.UINT8, DataType.INT16, DataType.UINT16,
  DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64, DataType.BOOL,
]);

export function canSlice(t: onnx.ITensorProto): boolean {
  return SLICEABLE.has(t.dataType ?? 0) && tensorDims(t).length > 0;
}

/** Keep only the given indices (ascending) along `axis`: how channels are physically removed. */
export function sliceAxis(t: onnx.ITensorProto, axis: number, keep: readonly number[]): onnx.TensorProto {
  const dims = tensorDims(t);
  const data = tensorData(t, `(initializer '${t.name}')`);
  const outer = elementCount(dims.slice(0, axis));
  const inner = elementCount(dims.slice(axis + 1));
  const size = dims[axis]!;
  const Ctor = data.constructor as new (n: number) => TypedData;
  const out = new Ctor(outer * keep.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (const k of keep) {
      const start = (a * size + k) * inner;
      (out as Float32Array).set((data as Float32Array).subarray(start, start + inner), o);
      o += inner;
    }
  }
  const newDims = [...dims];
  newDims[axis] = keep.length;
  return onnx.TensorProto.create({ name: t.name ?? '', dims: newDims, dataType: t.dataType ?? 0, rawData: bytesOf(out), ...(t.docString ? { docString: t.docString } : {}) });
}

/** Fraction of exact zeros (+0 and −0). */
export function zeroFraction(values: Float32Array): number {
  let zeros = 0;
  for (const v of values) if (v === 0) zeros++;
  return values.length === 0 ? 0 : zeros / values.length;
}
