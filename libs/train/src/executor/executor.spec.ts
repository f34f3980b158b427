import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { UnsupportedOperatorError } from '@edgefit/core';
import { encodeModel, floatTensor, tensorToFloat32 } from '@edgefit/onnx';
import { initTrainingBackend } from '../backend.js';
import { getZooModel, zooModelNames } from '../zoo/zoo-registry.js';
import { runOrt } from '../testing/ort.js';
import { runExecutor } from '../testing/run-executor.js';
import { randomFloats, maxAbsDiff } from '../testing/random.js';
import { testModel } from '../testing/op-model.js';
import { OnnxExecutor } from './executor.js';

beforeAll(async () => {
  await initTrainingBackend({ prefer: 'wasm' });
});

describe('executor forward pass agrees with onnxruntime on the zoo', () => {
  const cases = zooModelNames().flatMap((name, i) => [
    { name, seed: 11 + i, batch: 2 },
    { name, seed: 101 + i, batch: 7 },
  ]);
  for (const { name, seed, batch } of cases) {
    it(`${name} (seed ${seed}, batch ${batch})`, async () => {
      const model = getZooModel(name).build(seed);
      const feeds = { input: { data: randomFloats(batch * 784, seed, 0, 1), dims: [batch, 1, 28, 28] } };
      const exec = new OnnxExecutor(model);
      const got = runExecutor(exec, feeds);
      exec.dispose();
      const ref = await runOrt(model, feeds);
      for (const out of Object.keys(ref)) {
        expect(got[out]!.dims).toEqual(ref[out]!.dims);
        expect(maxAbsDiff(got[out]!.data, ref[out]!.data)).toBeLessThan(1e-4);
      }
    });
  }
});

describe('executor', () => {
  it('refuses an unknown op when it is created, naming op and node', () => {
    const model = testModel((b) => {
      const x = b.input('x', [1, 4]);
      b.node('Relu', [x], ['r'], {}, 'ok');
      b.node('Erf', ['r'], ['y'], {}, 'the_erf');
      b.node('Gelu', ['y'], ['z'], {}, 'the_gelu');
      return ['z'];
    });
    const create = () => new OnnxExecutor(model);
    expect(create).toThrow(UnsupportedOperatorError);
    expect(create).toThrow(/'Erf'.*node 'the_erf'.*also unsupported: Gelu/);
  });

  it('refuses an op it knows in a form it cannot run, at creation', () => {
    const model = testModel((b) => {
      const x = b.input('x', [1, 1, 8, 8]);
      b.node('MaxPool', [x], ['y'], { kernel_shape: [2, 2], dilations: [2, 2] }, 'dilated_pool');
      return ['y'];
    });
    expect(() => new OnnxExecutor(model)).toThrow(/MaxPool.*dilated_pool.*dilations/);
  });

  it('classifies weights, BN statistics and constants', () => {
    const exec = new OnnxExecutor(getZooModel('mobilenet-tiny').build(1));
    expect([...exec.variables.keys()]).toContain('stem.weight');
    expect([...exec.variables.keys()]).toContain('stem.bn.scale');
    expect([...exec.variables.keys()]).toContain('logits.bias');
    expect([...exec.state.keys()].sort()).toContain('stem.bn.mean');
    expect([...exec.variables.keys()].some((k) => k.includes('ratio'))).toBe(false);
    exec.dispose();
  });

  it('writeBack without training reproduces the model byte for byte', () => {
    const model = getZooModel('lenet-5').build(3);
    const exec = new OnnxExecutor(model);
    expect(Buffer.from(encodeModel(exec.writeBack())).equals(Buffer.from(encodeModel(model)))).toBe(true);
    exec.dispose();
  });

  it('writeBack puts new values into the same initializers and changes nothing else', () => {
    const model = getZooModel('lenet-300-100').build(3);
    const exec = new OnnxExecutor(model);
    exec.variables.get('fc2.bias')!.assign(tf.fill([100], 0.5));
    const out = exec.writeBack();
    expect(tensorToFloat32(out.graph!.initializer!.find((t) => t.name === 'fc2.bias')!)).toEqual(new Float32Array(100).fill(0.5));
    out.graph!.initializer = out.graph!.initializer!.map((t) => (t.name === 'fc2.bias' ? model.graph!.initializer!.find((u) => u.name === 'fc2.bias')! : t));
    expect(Buffer.from(encodeModel(out)).equals(Buffer.from(encodeModel(model)))).toBe(true);
    exec.dispose();
  });

  it('stores written-back values as float_data when the initializer did', () => {
    const model = testModel((b) => {
      const x = b.input('x', [2, 3]);
      const t = floatTensor('w', [3, 2], [1, 2, 3, 4, 5, 6]);
      t.floatData = Array.from(tensorToFloat32(t));
      t.rawData = new Uint8Array();
      b.initializer(t);
      b.node('MatMul', [x, 'w'], ['y']);
      return ['y'];
    });
    const exec = new OnnxExecutor(model);
    exec.variables.get('w')!.assign(tf.tensor([[6, 5], [4, 3], [2, 1]]));
    const w = exec.writeBack().graph!.initializer![0]!;
    expect(w.floatData).toEqual([6, 5, 4, 3, 2, 1]);
    expect(w.rawData?.length ?? 0).toBe(0);
    exec.dispose();
  });

  it('returns requested intermediate values and rejects unknown ones', () => {
    const exec = new OnnxExecutor(getZooModel('lenet-5').build(1));
    const x = tf.zeros([1, 1, 28, 28]);
    const out = exec.run({ input: x }, { outputs: ['conv1'] });
    expect(out.conv1!.shape).toEqual([1, 6, 28, 28]);
    expect(() => exec.run({ input: x }, { outputs: ['nope'] })).toThrow(/no value named 'nope'/);
    expect(() => exec.run({ input: tf.zeros([1, 784]) })).toThrow(/shape \[1, 784\].*\[N, 1, 28, 28\]/);
    tf.dispose([x, out.conv1!]);
    exec.dispose();
  });

  it('keeps no tensors across runs', () => {
    const exec = new OnnxExecutor(getZooModel('mobilenet-tiny').build(1));
    const x = tf.randomUniform([4, 1, 28, 28]);
    const once = () => tf.dispose(Object.values(exec.run({ input: x }, { training: true })));
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    exec.dispose();
  });
});
