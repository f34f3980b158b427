/** A decoded numeric array from a dataset file (IDX or NPY), C order. */
export type NumericData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | BigInt64Array;

export interface NdArray {
  /** Element type, e.g. 'uint8', 'float32'. */
  dtype: 'uint8' | 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64';
  shape: number[];
  data: NumericData;
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
