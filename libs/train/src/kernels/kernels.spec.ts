import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTrainingBackend } from '../backend.js';
import { randomFloats, maxAbs, maxAbsDiff } from '../testing/random.js';
import { trainingKernelNames } from './kernel-registry.js';
import { convGeometry } from './conv-geometry.js';
import { accumulateFilterGradient } from './filter-gradient.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: Pad;
  depthwise?: boolean;
}

// The geometries of the zoo models plus the awkward ones (asymmetric pads, 'same' with stride, multiplier 2).
const cases: Case[] = [
  { name: 'lenet-5 conv1 5x5 pad 2', x: [4, 28, 28, 1], filter: [5, 5, 1, 6], strides: 1, pad: 2 },
  { name: 'lenet-5 conv2 5x5 valid', x: [4, 14, 14, 6], filter: [5, 5, 6, 16], strides: 1, pad: 'valid' },
  { name: 'mobilenet stem 3x3 s2 p1', x: [3, 28, 28, 1], filter: [3, 3, 1, 16], strides: 2, pad: 1 },
  { name: 'pointwise 1x1', x: [2, 7, 7, 16], filter: [1, 1, 16, 32], strides: 1, pad: 0 },
  { name: 'same, stride 2, odd size', x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { name: 'asymmetric explicit pads', x: [2, 8, 7, 2], filter: [3, 2, 2, 3], strides: 2, pad: [[0, 0], [1, 0], [0, 2], [0, 0]] },
  { name: 'depthwise 3x3 s1 p1', x: [4, 14, 14, 16], filter: [3, 3, 16, 1], strides: 1, pad: 1, depthwise: true },
  { name: 'depthwise 3x3 s2 p1', x: [4, 14, 14, 32], filter: [3, 3, 32, 1], strides: 2, pad: 1, depthwise: true },
  { name: 'depthwise multiplier 2, same', x: [2, 9, 9, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'same', depthwise: true },
];

function scaleOf(values: Float32Array): number {
  return Math.max(1, maxAbs(values));
}

function outShape(c: Case): number[] {
  return tf.tidy(() => {
    const x = tf.zeros(c.x) as tf.Tensor4D;
    const f = tf.zeros(c.filter) as tf.Tensor4D;
    return (c.depthwise ? tf.depthwiseConv2d(x, f, c.strides, c.pad) : tf.conv2d(x, f, c.strides, c.pad)).shape;
  });
}

/** Run one kernel on a backend and read the result back. */
async function runOn(backend: 'cpu' | 'wasm', kernel: string, inputs: Record<string, [Float32Array, number[]]>, attrs: object): Promise<Float32Array> {
  await initTrainingBackend({ prefer: backend });
  return tf.tidy(() => {
    const ts = Object.fromEntries(Object.entries(inputs).map(([k, [v, s]]) => [k, tf.tensor(v, s)]));
    const out = tf.engine().runKernel(kernel, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

describe('training kernels on WASM match the cpu backend', () => {
  beforeAll(async () => {
    await initTrainingBackend({ prefer: 'wasm' });
  });

  it('fills the gradient kernels WASM lacks', () => {
    for (const name of trainingKernelNames()) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeDefined(); // native, not ours
  });

  for (const [name, pad, strides] of [['padded, stride 2', [[0, 0], [1, 1], [1, 1], [0, 0]], 2], ['same, overlapping windows', 'same', 1], ['valid', 'valid', 2]] as const) {
    it(`MaxPoolGrad (replaces the native one): negative values, ${name}`, async () => {
      const shape = [2, 7, 7, 3];
      const x = randomFloats(2 * 49 * 3, 9, -2, -0.1); // all negative: where the native kernel went wrong
      const grad = async (backend: 'cpu' | 'wasm') => {
        await initTrainingBackend({ prefer: backend });
        return tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 3, strides, pad as 'same'), 1.5)))(tf.tensor(x, shape)).dataSync() as Float32Array);
      };
      expect(maxAbsDiff(await grad('wasm'), await grad('cpu'))).toBe(0);
    });
  }

  for (const c of cases) {
    it(`${c.depthwise ? 'DepthwiseConv2dNativeBackprop{Filter,Input}' : 'Conv2DBackpropFilter'}: ${c.name}`, async () => {
      const dyShape = outShape(c);
      const x = randomFloats(c.x.reduce((a, b) => a * b), 1);
      // Zeros in x exercise the kernel's zero-skipping path.
      for (let i = 0; i < x.length; i += 3) x[i] = 0;
      const dy = randomFloats(dyShape.reduce((a, b) => a * b), 2);
      const w = randomFloats(c.filter.reduce((a, b) => a * b), 3);
      const common = { strides: c.strides, pad: c.pad, dimRoundingMode: undefined, dilations: 1, dataFormat: 'NHWC' as const };
      const filterKernel = c.depthwise ? 'DepthwiseConv2dNativeBackpropFilter' : 'Conv2DBackpropFilter';
      const fIn = { x: [x, c.x] as [Float32Array, number[]], dy: [dy, dyShape] as [Float32Array, number[]] };
      const fAttrs = { ...common, filterShape: c.filter };
      const ref = await runOn('cpu', filterKernel, fIn, fAttrs);
      const got = await runOn('wasm', filterKernel, fIn, fAttrs);
      // The GEMM path sums thousands of terms in float32 (the cpu reference in float64): compare relative to the magnitude.
      expect(maxAbsDiff(got, ref) / scaleOf(ref)).toBeLessThan(1e-5);
      // The typed-array loop used where the backend offers no GEMM (the WASM kernel above goes through BatchMatMul).
      const acc = new Float64Array(ref.length);
      accumulateFilterGradient(x, dy, convGeometry(c.x, c.filter, fAttrs, c.depthwise ?? false, filterKernel), c.depthwise ?? false, acc);
      expect(maxAbsDiff(Float32Array.from(acc), ref)).toBeLessThan(1e-5);
      if (c.depthwise) {
        const iIn = { dy: [dy, dyShape] as [Float32Array, number[]], filter: [w, c.filter] as [Float32Array, number[]] };
        const iAttrs = { ...common, inputShape: c.x };
        const refX = await runOn('cpu', 'DepthwiseConv2dNativeBackpropInput', iIn, iAttrs);
        const gotX = await runOn('wasm', 'DepthwiseConv2dNativeBackpropInput', iIn, iAttrs);
        expect(maxAbsDiff(gotX, refX)).toBeLessThan(1e-5);
      }
    });
  }
});
