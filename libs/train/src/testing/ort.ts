import * as ort from 'onnxruntime-node';
import { encodeModel, type onnx } from '@edgefit/onnx';

export interface HostTensor {
  data: Float32Array;
  dims: number[];
}

/** Run a model in onnxruntime (the reference for every op), outputs as float32. */
export async function runOrt(model: onnx.IModelProto, feeds: Record<string, HostTensor>, outputs?: string[]): Promise<Record<string, HostTensor>> {
  const session = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1, graphOptimizationLevel: 'basic' });
  try {
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.data, v.dims)]));
    const result = await session.run(ortFeeds, outputs ?? session.outputNames);
    return Object.fromEntries(
      Object.entries(result).map(([k, t]) => [k, { data: Float32Array.from(t.data as ArrayLike<number>), dims: [...t.dims] }]),
    );
  } finally {
    await session.release();
  }
}
