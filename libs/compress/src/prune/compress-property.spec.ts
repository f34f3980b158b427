import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeededRng } from '@edgefit/core';
import { encodeModel, validateModel } from '@edgefit/onnx';
import { packModel, unpackModel } from '../codec/model-codec.js';
import { PassRegistry } from '../pass-registry.js';
import { parsePassSpec } from '../pass-spec.js';
import { runPipeline } from '../pipeline.js';
import { PRUNE_METHODS } from './prune-params.js';
import { prunePass } from './prune-pass.js';
import { buildModel, randomInput, runOrt, type LayerSpec } from './spec-helpers.js';

const registry = new PassRegistry().register(prunePass);

const layerArb: fc.Arbitrary<LayerSpec> = fc.oneof(
  fc.record({ kind: fc.constant('conv' as const), out: fc.integer({ min: 1, max: 6 }), k: fc.constantFrom(1 as const, 3 as const), bn: fc.boolean(), relu: fc.boolean(), pool: fc.boolean() }),
  fc.record({ kind: fc.constant('dw' as const), bn: fc.boolean(), relu: fc.boolean() }),
  fc.record({ kind: fc.constant('dense' as const), out: fc.integer({ min: 1, max: 12 }), relu: fc.boolean() }),
);

const caseArb = fc.record({
  input: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
  layers: fc.array(layerArb, { maxLength: 4 }),
  classes: fc.integer({ min: 2, max: 5 }),
  seed: fc.integer({ min: 0, max: 2 ** 30 }),
  method: fc.constantFrom(...PRUNE_METHODS),
  sparsity: fc.double({ min: 0, max: 0.99, noNaN: true }),
  scope: fc.constantFrom('layer', 'global'),
  schedule: fc.constantFrom('oneshot', 'iterative'),
  steps: fc.integer({ min: 1, max: 3 }),
  n: fc.integer({ min: 1, max: 3 }),
});

describe('property: prune + pack any small MLP/CNN', () => {
  it('never throws, the output runs in onnxruntime with the same output shape, and the packed form restores it exactly', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const model = buildModel(c.input, c.layers, c.classes, c.seed);
        const spec = `prune:method=${c.method},sparsity=${c.sparsity},scope=${c.scope},schedule=${c.schedule},steps=${c.steps},n=${c.n},m=4,fineTuneEpochs=0`;
        const { model: pruned } = await runPipeline(model, [parsePassSpec(spec, registry)], registry, { rng: new SeededRng(c.seed), log: () => {} });
        validateModel(pruned);
        const dims = [2, ...c.input];
        const x = randomInput(dims.reduce((a, b) => a * b, 1), c.seed);
        const before = await runOrt(model, x, dims);
        const after = await runOrt(pruned, x, dims);
        expect(after.dims).toEqual(before.dims);
        expect(Array.from(after.data).every(Number.isFinite)).toBe(true);
        const packed = packModel(pruned);
        expect(Buffer.compare(Buffer.from(encodeModel(unpackModel(packed.bytes))), Buffer.from(encodeModel(pruned)))).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});
