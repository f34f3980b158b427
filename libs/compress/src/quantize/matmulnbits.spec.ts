import { describe, expect, it } from 'vitest';
import { findLayers } from './layers.js';
import { blockQuantize } from './forms/matmulnbits.js';
import { quantizePass } from './quantize-pass.js';
import { params, testContext } from './testing/context.js';
import { mlpModel, randomInput } from './testing/models.js';
import { runModel } from './testing/ort-run.js';

/** y = x · W + b in float64 with W [K, N]. */
function reference(x: Float32Array, rows: number, w: Float32Array, k: number, n: number, bias: Float32Array): Float64Array {
  const y = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) {
    let acc = bias[j]!;
    for (let i = 0; i < k; i++) acc += x[r * k + i]! * w[i * n + j]!;
    y[r * n + j] = acc;
  }
  return y;
}

describe('MatMulNBits (4-bit blocks)', () => {
  // K = 100 is not a multiple of the block size: the last block is padded.
  const model = mlpModel([100, 24]);
  const layer = findLayers(model.graph!).layers[0]!;
  const x = randomInput(6, 100, 5);

  for (const [scheme, blockSize] of [['sym', 32], ['asym', 32], ['sym', 128]] as const) {
    it(`${scheme}, block ${blockSize}: output ≈ x · dequantized W + b`, async () => {
      const { model: q, report } = await quantizePass.apply(model, params(quantizePass, { bits: 4, form: 'matmulnbits', mode: 'dynamic', scheme, blockSize }), testContext());
      const node = q.graph!.node!.find((n) => n.opType === 'MatMulNBits')!;
      expect(node.domain).toBe('com.microsoft');
      expect(report.layers[0]).toMatchObject({ form: 'matmulnbits', wBits: 4, simulated: false });
      const bq = blockQuantize(layer, blockSize, scheme === 'sym', 'mse');
      const want = reference(x, 6, bq.dequantized, 100, 24, layer.bias!);
      const got = (await runModel(q, x, [6, 100])).data;
      const scale = Math.max(...want.map(Math.abs));
      // accuracy_level 4 quantizes x to int8 per block inside the kernel: ~1% of the output range.
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(0.01 * scale);
    });
  }

  it('each block of 4-bit codes dequantizes to at most 16 values', () => {
    const bq = blockQuantize(layer, 32, false, 'minmax');
    for (let n = 0; n < 24; n++) {
      const block = new Set(Array.from({ length: 32 }, (_, k) => bq.dequantized[k * 24 + n]));
      expect(block.size).toBeLessThanOrEqual(16);
    }
    expect(bq.packed.length).toBe(24 * 4 * 16);
    expect(bq.zeroPoints!.length).toBe(24 * 2);
  });
});
