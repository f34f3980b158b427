import { DataType, onnx, int64 } from '../proto.js';
import { tensorDims, tensorToNumbers } from '../tensor.js';
import { MAX_TRACKED_VALUES, numel } from './dims.js';
import type { Dim, TensorInfo } from './types.js';

/** Types tensorData() can read; others (strings, bfloat16, float8, complex) keep no values. */
const READABLE: ReadonlySet<number> = new Set([
  DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BOOL, DataType.INT4, DataType.UINT4,
  DataType.INT8, DataType.UINT8, DataType.INT16, DataType.UINT16, DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64,
]);

/** What a constant tensor tells inference: its type, dims and (small) contents. */
export function infoOfTensor(t: onnx.ITensorProto, where = ''): TensorInfo {
  const shape = tensorDims(t);
  const elemType = t.dataType ?? 0;
  const n = numel(shape) ?? Infinity;
  const value = n <= MAX_TRACKED_VALUES && READABLE.has(elemType) ? tensorToNumbers(t, where) : undefined;
  return { elemType, shape, value };
}

/**
 * What a declared ValueInfo says. `resolve` decides each symbolic or missing
 * dimension (batch, named dims); it gets the dim's parameter name and position.
 */
export function infoOfValueInfo(vi: onnx.IValueInfoProto, resolve: (param: string, index: number) => Dim): TensorInfo {
  const tt = vi.type?.tensorType;
  if (!tt) return { elemType: 0 };
  const shape = tt.shape ? (tt.shape.dim ?? []).map((d, i) => (d.dimValue !== null && d.dimValue !== undefined ? int64(d.dimValue as number) : resolve(d.dimParam ?? '', i))) : undefined;
  return { elemType: tt.elemType ?? 0, shape };
}
