/** onnxruntime-node helpers for the libs/onnx specs: seeded inputs, runs, exact comparisons. */
import * as ort from 'onnxruntime-node';
import { SeededRng } from '@edgefit/core';
import { DataType } from '@edgefit/onnx';

export { ort };

export async function runModel(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  // One thread: deterministic results, and the machine's cores are shared.
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

export function floatInput(dims: readonly number[], seed = 7): ort.Tensor {
  const rng = new SeededRng(seed);
  const n = dims.reduce((a, b) => a * b, 1);
  return new ort.Tensor('float32', Float32Array.from({ length: n }, () => rng.normal()), [...dims]);
}

export function int64Input(values: readonly number[], dims: readonly number[] = [values.length]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), [...dims]);
}

/** ORT tensor type name → ONNX DataType, to compare inferred element types. */
export function ortElemType(t: ort.Tensor): number {
  const map: Record<string, number> = { float32: DataType.FLOAT, int64: DataType.INT64, int32: DataType.INT32, uint8: DataType.UINT8, int8: DataType.INT8, bool: DataType.BOOL, float16: DataType.FLOAT16 };
  return map[t.type] ?? -1;
}

/** Plain arrays of every output, for exact (toEqual) comparison. */
export function snapshot(outputs: Record<string, ort.Tensor>): Record<string, { dims: number[]; type: string; data: unknown[] }> {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, t]) => [k, { dims: [...t.dims], type: t.type, data: Array.from(t.data as ArrayLike<unknown>) }]),
  );
}
