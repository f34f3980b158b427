import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { sha256 } from '@edgefit/core';
import { encodeModel, tensorDims, tensorToFloat32 } from '@edgefit/onnx';
import { getZooModel, zooModelNames } from './zoo-registry.js';

/** Parameters computed from the architecture by hand, independent of any counting code. */
const expectedParams: Record<string, number> = {
  'lenet-300-100': 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, // 266,610
  'lenet-5': 6 * 25 + 6 + 16 * 6 * 25 + 16 + 400 * 120 + 120 + 120 * 84 + 84 + 84 * 10 + 10, // 61,706
  // stem 3x3 1→16 (no bias) + BN(4×16); dw3x3 + BN, pw 1x1 + BN per block; classifier 128→10.
  'mobilenet-tiny':
    16 * 9 + 4 * 16 +
    (16 * 9 + 4 * 16) + (32 * 16 + 4 * 32) +
    (32 * 9 + 4 * 32) + (64 * 32 + 4 * 64) +
    (64 * 9 + 4 * 64) + (128 * 64 + 4 * 128) +
    128 * 10 + 10,
  autoencoder: 784 * 128 + 128 + 128 * 32 + 32 + 32 * 128 + 128 + 128 * 784 + 784,
};

describe('zoo models', () => {
  it('registers the four built-in models', () => {
    expect(zooModelNames().sort()).toEqual(['autoencoder', 'lenet-300-100', 'lenet-5', 'mobilenet-tiny']);
    expect(() => getZooModel('resnet-999')).toThrow(/unknown zoo model 'resnet-999'/);
  });

  for (const name of Object.keys(expectedParams)) {
    it(`${name}: seeded, the right parameter count, runs in onnxruntime`, async () => {
      const zoo = getZooModel(name);
      const model = zoo.build(3);
      const weights = model.graph!.initializer!.filter((t) => tensorDims(t).length > 0);
      const count = weights.reduce((n, t) => n + tensorToFloat32(t).length, 0);
      expect(count).toBe(expectedParams[name]);
      // Compare digests: element-wise equality of megabyte arrays is slow in the matcher.
      expect(sha256(encodeModel(zoo.build(3)))).toBe(sha256(encodeModel(model)));
      expect(sha256(encodeModel(zoo.build(4)))).not.toBe(sha256(encodeModel(model)));

      const session = await ort.InferenceSession.create(encodeModel(model));
      const input = new ort.Tensor('float32', new Float32Array(3 * 784).map((_, i) => (i % 17) / 16), [3, 1, 28, 28]);
      const out = (await session.run({ input }))[session.outputNames[0]!]!;
      expect(out.dims).toEqual(zoo.task === 'anomaly' ? [3, 784] : [3, 10]);
      expect(Array.from(out.data as Float32Array).every(Number.isFinite)).toBe(true);
    });
  }
});
