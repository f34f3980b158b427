import { tensorDims, tensorToFloat32, type onnx } from '@edgefit/onnx';

/**
 * A layer's weights as rows of its reduction axis: one row per output
 * (channel), `rowLength` consecutive weights each row sums over. Integer
 * weights have their zero point removed, so a 0 here is a weight that
 * contributes nothing — what sparsity is measured on.
 */
export interface WeightMatrix {
  values: Float32Array;
  rows: number;
  rowLength: number;
}

/** How a weight tensor's dims map onto (outputs, reduction). */
export type WeightLayout = 'outputs-first' | 'reduction-first';

function subtractZeroPoint(values: Float32Array, dims: number[], zp: Float32Array | null, axis: number): Float32Array {
  if (!zp || zp.length === 0) return values;
  if (zp.length === 1) {
    const z = zp[0]!;
    return z === 0 ? values : values.map((v) => v - z);
  }
  const a = axis < 0 ? axis + dims.length : axis;
  const stride = dims.slice(a + 1).reduce((p, d) => p * d, 1);
  const size = dims[a] ?? 1;
  return values.map((v, i) => v - (zp[Math.floor(i / stride) % size] ?? 0));
}

/**
 * outputs-first: Conv [Cout, Cin/g, kH, kW] or Gemm transB=1 [N, K];
 * reduction-first: MatMul / Gemm transB=0 [K, N] (transposed here).
 */
export function weightMatrix(
  tensor: onnx.ITensorProto,
  layout: WeightLayout,
  zeroPoint?: { tensor: onnx.ITensorProto; axis: number },
): WeightMatrix | null {
  const dims = tensorDims(tensor);
  if (dims.length < 2) return null;
  const raw = tensorToFloat32(tensor);
  const values = subtractZeroPoint(raw, dims, zeroPoint ? tensorToFloat32(zeroPoint.tensor) : null, zeroPoint?.axis ?? 0);
  if (layout === 'outputs-first') {
    const rows = dims[0]!;
    return { values, rows, rowLength: values.length / rows };
  }
  if (dims.length !== 2) return null;
  const [k, n] = dims as [number, number];
  const t = new Float32Array(values.length);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) t[j * k + i] = values[i * n + j]!;
  return { values: t, rows: n, rowLength: k };
}
