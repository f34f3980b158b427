import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidModelError, SeededRng } from '@edgefit/core';
import { DataType, ModelBuilder, encodeModel, floatTensor, onnx, rawTensor, type onnx as O } from '@edgefit/onnx';
import { getZooModel, zooModelNames } from '@edgefit/train';
import { quantizePass } from '../quantize/quantize-pass.js';
import { params, testContext } from '../quantize/testing/context.js';
import { mlpModel, randomSplit } from '../quantize/testing/models.js';
import { packModel, unpackModel } from './model-codec.js';

/** Every tensor bit for bit, then the whole re-encoded model byte for byte. */
function expectExact(original: O.IModelProto, restored: O.ModelProto): void {
  const a = original.graph!.initializer!;
  const b = restored.graph!.initializer!;
  expect(b.map((t) => t.name)).toEqual(a.map((t) => t.name));
  a.forEach((t, i) => {
    const raw = t.rawData ?? new Uint8Array();
    expect(Buffer.compare(Buffer.from(b[i]!.rawData ?? []), Buffer.from(raw)), t.name ?? '').toBe(0);
  });
  expect(Buffer.compare(Buffer.from(encodeModel(restored)), Buffer.from(encodeModel(original)))).toBe(0);
}

/** A float weight [rows, cols]: `sparsity` of it zero, the rest either raw floats or per-row `bits`-bit quantized (v = q·scale). */
function weight(rows: number, cols: number, sparsity: number, bits: number | undefined, rng: SeededRng): Float32Array {
  const w = Float32Array.from({ length: rows * cols }, () => (rng.next() < sparsity ? 0 : rng.normal() * 0.1));
  if (bits === undefined) return w;
  const qmax = 2 ** (bits - 1) - 1;
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(w[r * cols + c]!));
    const scale = Math.fround(max / qmax || 1);
    for (let c = 0; c < cols; c++) {
      const v = w[r * cols + c]!;
      if (v !== 0) w[r * cols + c] = Math.fround(Math.max(-qmax - 1, Math.min(qmax, Math.round(v / scale))) * scale);
    }
  }
  return w;
}

function gemmModel(w: Float32Array, rows: number, cols: number, docString?: string): O.ModelProto {
  const b = new ModelBuilder('layer');
  b.input('x', ['N', cols]);
  b.initializer(floatTensor('w', [rows, cols], w));
  b.node('Gemm', ['x', 'w'], ['y'], { transB: 1 }, 'fc');
  b.output('y', ['N', rows]);
  const m = b.build();
  if (docString) m.graph!.node![0]!.docString = docString;
  return m;
}

describe('packed-size codec', () => {
  for (const name of zooModelNames()) {
    it(`${name}: unpack(pack(model)) is the exact model`, () => {
      const model = getZooModel(name).build(1);
      const packed = packModel(model);
      expect(packed.onnxBytes).toBe(encodeModel(model).length);
      expect(packed.packedBytes).toBe(packed.bytes.length);
      expect(packed.packedBytes).toBeLessThan(packed.onnxBytes); // dense fp32: only the entropy of the float bytes helps
      expectExact(model, unpackModel(packed.bytes));
    });
  }

  it('a 90%-sparse 4-bit layer packs ≥ 30x smaller than its fp32 ONNX file', () => {
    const rows = 300;
    const cols = 784;
    const model = gemmModel(weight(rows, cols, 0.9, 4, new SeededRng(1)), rows, cols, JSON.stringify({ edgefit: { wBits: 4, aBits: 8, form: 'simulated', weight: 'w' } }));
    const packed = packModel(model);
    const t = packed.perTensor.find((p) => p.name === 'w')!;
    expect(t).toMatchObject({ declaredBits: 4, layout: 'sparse', values: 'affine', group: 'axis0', valueBits: 4, onnxBytes: rows * cols * 4 });
    // ~23.5k nonzeros × (≈4-bit gap + ≤4-bit value, Huffman coded) + 300 scales.
    expect(packed.onnxBytes / packed.packedBytes).toBeGreaterThan(30);
    expect(t.packedBytes).toBeLessThan(rows * cols * 4 / 30);
    expectExact(model, unpackModel(packed.bytes));

    // The same sparsity without quantization: indices help, raw float values cost 32 bits each.
    const fp = packModel(gemmModel(weight(rows, cols, 0.9, undefined, new SeededRng(1)), rows, cols));
    expect(fp.onnxBytes / fp.packedBytes).toBeGreaterThan(5);
    expect(fp.packedBytes).toBeGreaterThan(packed.packedBytes * 3);
  });

  it('a QDQ layer: only the initializer its marker names as the weight is declared at wBits; the int32 bias stays 32-bit', async () => {
    for (const bits of [8, 4]) {
      const { model } = await quantizePass.apply(mlpModel([64, 32, 10]), params(quantizePass, { bits, form: 'qdq' }), testContext(randomSplit(32, 64)));
      const packed = packModel(model);
      const declared = Object.fromEntries(packed.perTensor.map((t) => [t.name, t.declaredBits]));
      expect(declared['fc0.weight_quantized'], `${bits}-bit`).toBe(bits);
      expect(declared['fc0.bias_quantized'], `${bits}-bit`).toBe(32);
      expect(packed.perTensor.find((t) => t.name === 'fc0.bias_quantized')!.dataType).toBe(DataType.INT32);
      expectExact(model, unpackModel(packed.bytes));
    }
  });

  it('integer weights (INT8, INT4 with an odd count, UINT8) are coded by value and restored exactly', () => {
    const rng = new SeededRng(2);
    const b = new ModelBuilder('q');
    b.input('x', ['N', 4]);
    const i8 = Int8Array.from({ length: 999 }, () => (rng.next() < 0.8 ? 0 : rng.int(-127, 127)));
    b.initializer(rawTensor('w8', [999], DataType.INT8, new Uint8Array(i8.buffer)));
    const nibbles = Array.from({ length: 1001 }, () => (rng.next() < 0.9 ? 0 : rng.int(0, 15)));
    const packed4 = new Uint8Array(501);
    nibbles.forEach((v, i) => (packed4[i >> 1]! |= v << ((i & 1) * 4)));
    packed4[500]! |= 0x90; // a stray high nibble in the padding is kept too
    b.initializer(rawTensor('w4', [7, 11, 13], DataType.INT4, packed4));
    b.initializer(rawTensor('u8', [32, 32], DataType.UINT8, Uint8Array.from({ length: 1024 }, () => 128 + rng.int(-3, 3))));
    b.node('Identity', ['x'], ['y']);
    b.output('y', ['N', 4]);
    const model = b.build();
    const packed = packModel(model);
    // 1-byte and 4-bit integers code the same as values or as their raw byte plane; either is exact.
    for (const t of packed.perTensor) expect(['int', 'planes']).toContain(t.values);
    const size = (n: string) => packed.perTensor.find((t) => t.name === n)!.packedBytes;
    expect(size('w8')).toBeLessThan(0.5 * 999); // 80% zeros
    expect(size('w4')).toBeLessThan(0.4 * 501); // 90% zeros
    expect(size('u8')).toBeLessThan(0.45 * 1024); // 7 values around 128: < 3 bits each
    expect(packed.perTensor.find((t) => t.name === 'w4')!.declaredBits).toBe(4);
    expectExact(model, unpackModel(packed.bytes));
  });

  it('random tensors of every coded type — sparse, quantized, −0, NaN, denormals — round-trip bit for bit', () => {
    const types = [DataType.FLOAT, DataType.FLOAT16, DataType.INT8, DataType.UINT8, DataType.INT4, DataType.UINT4, DataType.INT16, DataType.INT32, DataType.INT64, DataType.DOUBLE];
    const tensorArb = fc.record({
      type: fc.constantFrom(...types),
      dims: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 0, maxLength: 3 }),
      sparsity: fc.double({ min: 0, max: 1, noNaN: true }),
      palette: fc.integer({ min: 1, max: 300 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(fc.array(tensorArb, { minLength: 1, maxLength: 5 }), (specs) => {
        const b = new ModelBuilder('random');
        b.input('x', ['N', 1]);
        specs.forEach((s, i) => {
          const rng = new SeededRng(s.seed);
          const n = s.dims.reduce((a, c) => a * c, 1);
          const bytesPer = s.type === DataType.INT4 || s.type === DataType.UINT4 ? 0.5 : ({ 1: 4, 10: 2, 3: 1, 2: 1, 5: 2, 6: 4, 7: 8, 11: 8 } as Record<number, number>)[s.type]!;
          const raw = new Uint8Array(Math.ceil(n * bytesPer));
          const special = [0x80000000, 0x7fc00001, 0x00000001, 0xff800000]; // −0, a NaN payload, a denormal, −∞
          const palette = Array.from({ length: s.palette }, (_, k) => (k < special.length && s.type === DataType.FLOAT ? special[k]! : Math.floor(rng.next() * 2 ** 32)));
          const view = new DataView(raw.buffer);
          for (let e = 0; e < n; e++) {
            const key = rng.next() < s.sparsity ? 0 : palette[rng.int(0, palette.length - 1)]!;
            if (bytesPer === 0.5) raw[e >> 1]! |= (key & 0xf) << ((e & 1) * 4);
            else if (bytesPer === 8) view.setUint32(e * 8, key, true), view.setUint32(e * 8 + 4, key ^ 0x5a5a, true);
            else for (let k = 0; k < bytesPer; k++) raw[e * bytesPer + k] = (key >>> (8 * k)) & 0xff;
          }
          if (raw.length > 0) b.initializer(rawTensor(`t${i}`, s.dims, s.type, raw));
        });
        b.node('Identity', ['x'], ['y']);
        b.output('y', ['N', 1]);
        const model = b.build();
        const packed = packModel(model);
        expectExact(model, unpackModel(packed.bytes));
        // Never much larger than storing the payloads raw: one header byte per coded tensor.
        const payload = model.graph!.initializer!.reduce((s, t) => s + (t.rawData?.length ?? 0), 0);
        expect(packed.packedBytes).toBeLessThanOrEqual(packed.skeletonBytes + payload + 5 + 4 * packed.perTensor.length + 2);
      }),
      { numRuns: 60 },
    );
  });

  it('a model with float_data (not raw) tensors and Constant nodes is restored exactly (they stay in the skeleton)', () => {
    const b = new ModelBuilder('mixed');
    b.input('x', ['N', 3]);
    b.initializer(onnx.TensorProto.create({ name: 'fd', dims: [3], dataType: DataType.FLOAT, floatData: [1, 2, 3] }));
    b.node('Constant', [], ['c'], { value: floatTensor('c', [3], [0, 0, 5]) });
    b.node('Add', ['x', 'fd'], ['s']);
    b.node('Add', ['s', 'c'], ['y']);
    b.output('y', ['N', 3]);
    const model = b.build();
    expectExact(model, unpackModel(packModel(model).bytes));
  });

  it('corrupt or foreign bytes are an InvalidModelError, never garbage', () => {
    const bytes = packModel(getZooModel('lenet-5').build(1)).bytes;
    expect(() => unpackModel(encodeModel(getZooModel('lenet-5').build(1)))).toThrow(InvalidModelError);
    expect(() => unpackModel(bytes.slice(0, bytes.length - 100))).toThrow(InvalidModelError);
    expect(() => unpackModel(Uint8Array.from([...bytes, 0]))).toThrow(/trailing bytes/);
  });
});
