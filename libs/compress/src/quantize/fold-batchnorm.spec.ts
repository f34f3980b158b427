import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { ModelBuilder, decodeModel, encodeModel, floatTensor } from '@edgefit/onnx';
import { foldBatchNorms } from './fold-batchnorm.js';
import { randomInput } from './testing/models.js';
import { maxAbsDiff, runModel } from './testing/ort-run.js';

/** Conv (with or without bias) → BN with non-trivial statistics → Relu → Conv → BN (graph output). */
function convBn(withBias: boolean) {
  const rng = new SeededRng(4);
  const r = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + rng.next() * (hi - lo));
  const b = new ModelBuilder('bn');
  b.input('x', ['N', 3, 5, 5]);
  const bn = (x: string, name: string, out = name) => {
    for (const [k, lo, hi] of [['scale', 0.5, 2], ['bias', -1, 1], ['mean', -0.5, 0.5], ['var', 0.2, 3]] as const) b.initializer(floatTensor(`${name}.${k}`, [4], r(4, lo, hi)));
    return b.node('BatchNormalization', [x, `${name}.scale`, `${name}.bias`, `${name}.mean`, `${name}.var`], [out], { epsilon: 1e-3 }, name)[0]!;
  };
  b.initializer(floatTensor('c1.weight', [4, 3, 3, 3], r(108, -1, 1)));
  if (withBias) b.initializer(floatTensor('c1.bias', [4], r(4, -1, 1)));
  b.node('Conv', ['x', 'c1.weight', ...(withBias ? ['c1.bias'] : [])], ['c1'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'c1');
  const relu = b.node('Relu', [bn('c1', 'bn1')], ['r1'])[0]!;
  b.initializer(floatTensor('c2.weight', [4, 1, 3, 3], r(36, -1, 1)));
  b.node('Conv', [relu, 'c2.weight'], ['c2'], { kernel_shape: [3, 3], group: 4 }, 'c2');
  bn('c2', 'bn2', 'y');
  b.output('y', ['N', 4, 3, 3]);
  return b.build();
}

describe('BatchNormalization folding', () => {
  for (const withBias of [true, false]) {
    it(`folds into a Conv ${withBias ? 'with' : 'without'} bias, exactly (incl. a BN that is the graph output)`, async () => {
      const model = convBn(withBias);
      const folded = decodeModel(encodeModel(model));
      expect(foldBatchNorms(folded)).toEqual(['bn1', 'bn2']);
      expect(folded.graph!.node!.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'Conv']);
      expect(folded.graph!.initializer!.some((t) => t.name!.startsWith('bn'))).toBe(false);
      const x = randomInput(2, 75);
      const [a, b] = [await runModel(model, x, [2, 3, 5, 5]), await runModel(folded, x, [2, 3, 5, 5])];
      expect(maxAbsDiff(a.data, b.data)).toBeLessThan(1e-4);
    });
  }
});
