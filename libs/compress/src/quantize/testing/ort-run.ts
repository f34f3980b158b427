import * as ort from 'onnxruntime-node';
import { encodeModel, validateModel, type onnx } from '@edgefit/onnx';

export interface RunOutput {
  data: Float32Array;
  dims: number[];
}

/** Validate a model (edgefit's checks), then run it in onnxruntime on one float input; the first output. */
export async function runModel(model: onnx.IModelProto, x: Float32Array, dims: number[], optimization: 'all' | 'disabled' = 'all'): Promise<RunOutput> {
  validateModel(model, {}, { batch: dims[0] });
  const session = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: optimization, intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const inputName = session.inputNames[0]!;
    const out = (await session.run({ [inputName]: new ort.Tensor('float32', x, dims) }))[session.outputNames[0]!]!;
    return { data: Float32Array.from(out.data as Float32Array), dims: [...out.dims] };
  } finally {
    await session.release();
  }
}

/** Fraction of rows of two [count, classes] score arrays with the same argmax. */
export function top1Agreement(a: Float32Array, b: Float32Array, classes: number): number {
  const argmax = (v: Float32Array, row: number) => {
    let best = 0;
    for (let k = 1; k < classes; k++) if (v[row * classes + k]! > v[row * classes + best]!) best = k;
    return best;
  };
  const rows = a.length / classes;
  let same = 0;
  for (let r = 0; r < rows; r++) if (argmax(a, r) === argmax(b, r)) same++;
  return same / rows;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
