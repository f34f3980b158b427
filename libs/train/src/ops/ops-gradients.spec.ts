import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { onnx } from '@edgefit/onnx';
import { initTrainingBackend, type TrainingBackendName } from '../backend.js';
import { OnnxExecutor } from '../executor/executor.js';
import type { HostTensor } from '../testing/ort.js';
import { maxAbs, maxAbsDiff, randomFloats } from '../testing/random.js';
import { OP_CASES, buildCase } from '../testing/op-cases.js';

/**
 * Gradients of a random projection of every output, in training mode, with
 * respect to the feeds and the trainable weights, read back by name.
 */
async function gradients(backend: TrainingBackendName, model: onnx.ModelProto, feeds: Record<string, HostTensor>): Promise<Map<string, Float32Array>> {
  await initTrainingBackend({ prefer: backend });
  const exec = new OnnxExecutor(model, { seed: 1 });
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, tf.variable(tf.tensor(v.data, v.dims))]));
  const names = new Map<string, string>([...Object.entries(inputs), ...exec.variables].map(([k, v]) => [v.name, k]));
  const { value, grads } = tf.variableGrads(() => {
    const outs = Object.values(exec.run(inputs, { training: true }));
    return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, tf.tensor(randomFloats(o.size, 77 + i), o.shape))))) as tf.Scalar;
  }, [...Object.values(inputs), ...exec.trainableVariables()]);
  const out = new Map(Object.entries(grads).map(([k, g]) => [names.get(k)!, g.dataSync().slice() as Float32Array]));
  tf.dispose([value, ...Object.values(grads), ...Object.values(inputs)]);
  exec.dispose();
  return out;
}

describe('gradients through every op case: WASM (with edgefit kernels) equals the cpu backend', () => {
  for (const c of OP_CASES) {
    it(c.name, async () => {
      const { model, feeds } = buildCase(c);
      const ref = await gradients('cpu', model, feeds);
      const got = await gradients('wasm', model, feeds);
      expect([...got.keys()].sort()).toEqual([...ref.keys()].sort());
      for (const [name, g] of got) {
        expect(maxAbsDiff(g, ref.get(name)!) / Math.max(1, maxAbs(ref.get(name)!)), name).toBeLessThan(1e-4);
      }
    });
  }
});
