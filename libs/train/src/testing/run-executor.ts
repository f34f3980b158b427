import * as tf from '@tensorflow/tfjs';
import type { OnnxExecutor } from '../executor/executor.js';
import type { HostTensor } from './ort.js';

/** Feed host arrays to the executor and read every output back as float32. */
export function runExecutor(exec: OnnxExecutor, feeds: Record<string, HostTensor>, training = false): Record<string, HostTensor> {
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, tf.tensor(v.data, v.dims)]));
  try {
    const out = exec.run(inputs, { training });
    const host = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: Float32Array.from(t.dataSync() as ArrayLike<number>), dims: [...t.shape] }]));
    Object.values(out).forEach((t) => t.dispose());
    return host;
  } finally {
    Object.values(inputs).forEach((t) => t.dispose());
  }
}
