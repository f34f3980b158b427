import { describe, expect, it } from 'vitest';
import { getZooModel } from '@edgefit/train';
import { deployedPeakActivationBytes } from './activation-memory.js';
import { extractLayerFacts } from './layer-facts.js';
import { planLayers } from './layer-plan.js';
import { satisfiesNM, zeroFraction } from './sparsity.js';
import { annotateBits, convNet, mlp, sparsify, toQdq } from './testing/models.js';
import { matMulNBitsModel, qlinearConvModel, weightOnlyInt4Model } from './testing/quantized-models.js';

const macLayers = (facts: ReturnType<typeof extractLayerFacts>) => facts.layers.filter((l) => l.role === 'mac');

describe('layer facts: the precision each layer is stored and computed at', () => {
  it('reads float layers as fp32 with their MACs, bytes and matrix shape', () => {
    const facts = extractLayerFacts(getZooModel('lenet-5').build(1));
    const conv1 = facts.layers.find((l) => l.name === 'conv1')!;
    expect(conv1).toMatchObject({ role: 'mac', form: 'float', macs: 117600, precision: { kind: 'float', wBits: 32, aBits: 32 } });
    expect(conv1.matmul).toEqual({ m: 28 * 28, k: 25, n: 6, groups: 1 });
    expect(conv1.directWeightBytes).toBe((150 + 6) * 4);
    expect(facts.layers.find((l) => l.name === 'relu1')!.fusedInto).toBe(conv1.index);
    expect(facts.layers.find((l) => l.op === 'Flatten')!.role).toBe('free');
    expect(facts.layers.find((l) => l.name === 'pool2')).toMatchObject({ role: 'elementwise', ops: 6 * 14 * 14 * 4 });
  });

  it('detects QLinearConv as int8 × int8', () => {
    const [conv] = macLayers(extractLayerFacts(qlinearConvModel()));
    expect(conv).toMatchObject({ form: 'qlinear', precision: { kind: 'int', wBits: 8, aBits: 8 }, macs: 4 * 36 * 9 });
    expect(conv!.inputs[0]!.bytes).toBe(64); // uint8 input
  });

  it('detects complete Q/DQ groups with int8 and int4 weights', () => {
    const base = convNet([8, 16]);
    for (const wBits of [8, 4] as const) {
      const facts = extractLayerFacts(toQdq(base, { wBits }));
      for (const l of macLayers(facts)) {
        expect(l.form).toBe('qdq');
        expect(l.precision).toEqual({ kind: 'int', wBits, aBits: 8 });
        expect(l.qdqComplete).toBe(true);
        expect(l.dqWeightBytes).toBeGreaterThanOrEqual(Math.ceil((l.weightElements * wBits) / 8));
        expect(l.dqWeightFloatBytes).toBe(l.weightElements * 4);
      }
      // ReLU behind Conv → Q → DQ still fuses into the conv
      expect(facts.layers.find((l) => l.op === 'Relu')!.fusedInto).not.toBeNull();
    }
  });

  it('detects weight-only int4, MatMulNBits and bit-width annotations', () => {
    const [wo] = macLayers(extractLayerFacts(weightOnlyInt4Model()));
    expect(wo).toMatchObject({ form: 'weight-only', precision: { kind: 'float', wBits: 4, aBits: 32 }, dqWeightBytes: 64 * 32 / 2 + 4 });
    const [nb] = macLayers(extractLayerFacts(matMulNBitsModel()));
    expect(nb).toMatchObject({ form: 'nbits', precision: { kind: 'float', wBits: 4 }, macs: 64 * 32, weightElements: 64 * 32 });
    const annotated = macLayers(extractLayerFacts(annotateBits(mlp([32, 16, 8]), 2, 6)));
    for (const l of annotated) expect(l).toMatchObject({ form: 'annotated', precision: { kind: 'int', wBits: 2, aBits: 6 } });
  });

  it('flags depthwise convolutions', () => {
    const facts = extractLayerFacts(getZooModel('mobilenet-tiny').build(1));
    const dw = facts.layers.filter((l) => l.depthwise);
    expect(dw.map((l) => l.name)).toEqual(['block1.dw', 'block2.dw', 'block3.dw']);
    expect(dw[0]!.matmul).toMatchObject({ k: 9, n: 1, groups: 16 });
  });

  it('measures weight sparsity and N:M patterns from the weights', () => {
    const dense = macLayers(extractLayerFacts(mlp([64, 32])))[0]!.weights!;
    expect(zeroFraction(dense)).toBe(0);
    const random = macLayers(extractLayerFacts(sparsify(mlp([64, 32]), 'random', 0.5)))[0]!.weights!;
    expect(zeroFraction(random)).toBeGreaterThan(0.4);
    expect(zeroFraction(random)).toBeLessThan(0.6);
    expect(satisfiesNM(random, 2, 4)).toBe(false);
    const nm = macLayers(extractLayerFacts(sparsify(mlp([64, 32]), '2:4')))[0]!.weights!;
    expect(zeroFraction(nm)).toBe(0.5);
    expect(satisfiesNM(nm, 2, 4)).toBe(true);
  });

  it('counts activation memory at the quantized width where the stack keeps tensors quantized', () => {
    const model = toQdq(getZooModel('lenet-5').build(1));
    const facts = extractLayerFacts(model);
    const folded = deployedPeakActivationBytes(facts, planLayers(facts, 'fold'), true);
    const float = deployedPeakActivationBytes(extractLayerFacts(getZooModel('lenet-5').build(1)), planLayers(extractLayerFacts(getZooModel('lenet-5').build(1)), 'fold'), true);
    expect(folded).toBeLessThan(float / 2);
  });
});
