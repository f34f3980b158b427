import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataType, GraphView, encodeModel, onnx, tensorDims, tensorToFloat32 } from '@edgefit/onnx';
import { readMarker } from './layer-marker.js';
import { channelOf } from './numerics.js';
import { createQuantizePass, quantizePass } from './quantize-pass.js';
import { params, testContext } from './testing/context.js';
import { convNetModel, mlpModel, randomInput, randomSplit } from './testing/models.js';
import { maxAbsDiff, runModel } from './testing/ort-run.js';

const SAMPLE = 2 * 6 * 6;
const calibration = randomSplit(64, SAMPLE);
const x = randomInput(8, SAMPLE, 99);
const base = convNetModel({ channelScales: [1, 0.5, 2, 1] });

async function quantize(model: onnx.ModelProto, raw: Record<string, unknown>) {
  return quantizePass.apply(model, params(quantizePass, raw), testContext(calibration));
}

function markers(model: onnx.IModelProto) {
  return Object.fromEntries((model.graph!.node ?? []).flatMap((n) => (readMarker(n) ? [[n.name!, readMarker(n)!]] : [])));
}

describe('operator forms on Conv, Gemm and MatMul layers', async () => {
  const ref = await runModel(base, x, [8, 2, 6, 6]);
  const cases: Array<[string, Record<string, unknown>, string[], number]> = [
    ['qdq int8', { form: 'qdq' }, ['DequantizeLinear', 'QuantizeLinear'], 0.05],
    ['qdq int8 per tensor, asymmetric', { form: 'qdq', granularity: 'tensor', scheme: 'asym' }, ['DequantizeLinear'], 0.05],
    ['qoperator', { form: 'qoperator' }, ['QLinearConv', 'QLinearMatMul'], 0.05],
    ['qoperator asymmetric weights', { form: 'qoperator', scheme: 'asym' }, ['QLinearConv', 'QLinearMatMul'], 0.05],
    ['dynamic', { form: 'dynamic', mode: 'dynamic' }, ['DynamicQuantizeLinear', 'ConvInteger', 'MatMulInteger'], 0.05],
    ['qdq INT4 weights (opset 21)', { form: 'qdq', bits: 4 }, ['DequantizeLinear'], 0.3],
    ['qdq int16 activations (opset 21)', { form: 'qdq', activationBits: 16 }, ['DequantizeLinear'], 0.05],
    ['simulated 8-bit', { form: 'simulated' }, ['QuantizeLinear'], 0.05],
    ['simulated 8-bit, dynamic activations', { form: 'simulated', mode: 'dynamic' }, ['DynamicQuantizeLinear'], 0.05],
  ];
  for (const [label, raw, ops, tolerance] of cases) {
    it(`${label}: valid, runs with the original output shape, close to fp32, layers marked`, async () => {
      const { model, report } = await quantize(base, raw);
      const out = await runModel(model, x, [8, 2, 6, 6]);
      expect(out.dims).toEqual(ref.dims);
      const opTypes = new Set(model.graph!.node!.map((n) => n.opType));
      for (const op of ops) expect(opTypes, `${op} in ${label}`).toContain(op);
      expect(maxAbsDiff(out.data, ref.data)).toBeLessThan(tolerance * Math.max(...ref.data.map(Math.abs)));
      const m = markers(model);
      expect(Object.keys(m).sort()).toEqual(['conv1', 'conv2', 'fc', 'mm']);
      for (const layer of report.layers) expect(m[layer.layer]!.wBits).toBe(layer.wBits);
      expect(report.simulated).toEqual(raw.form === 'simulated' ? ['conv1', 'conv2', 'mm', 'fc'] : []);
    });
  }

  it('per-channel beats per-tensor on a layer with uneven channel ranges (weight and layer-output error)', async () => {
    // conv1 alone, and its own output as the model output: the layer's reconstruction error.
    const uneven = convNetModel({ channelScales: [1, 0.01, 10, 0.1] });
    uneven.graph!.output = [onnx.ValueInfoProto.create({ name: 'conv1', type: { tensorType: { elemType: DataType.FLOAT } } })];
    const r = await runModel(uneven, x, [8, 2, 6, 6]);
    const run = async (granularity: string) => {
      const raw = { form: 'simulated', mode: 'dynamic', granularity, bits: 4, skipLayers: 'conv2,mm,fc' };
      const { model, report } = await quantize(uneven, raw);
      const out = (await runModel(model, x, [8, 2, 6, 6])).data;
      // Mean over channels of the relative error of the layer's output.
      const per = out.length / 8 / 4;
      let rel = 0;
      for (let c = 0; c < 4; c++) {
        let [err, energy] = [0, 0];
        for (let n = 0; n < 8; n++) for (let i = 0; i < per; i++) {
          const k = (n * 4 + c) * per + i;
          err += (out[k]! - r.data[k]!) ** 2;
          energy += r.data[k]! ** 2;
        }
        rel += err / energy / 4;
      }
      return { weight: report.layers[0]!.weightRelativeMse as number, output: rel };
    };
    const [channel, tensor] = [await run('channel'), await run('tensor')];
    expect(channel.weight).toBeLessThan(tensor.weight);
    expect(channel.output).toBeLessThan(tensor.output / 5);
  });

  it('never mutates its input model', async () => {
    const before = encodeModel(base);
    await quantize(base, { form: 'qoperator' });
    expect(encodeModel(base)).toEqual(before);
  });

  it('a form that cannot run a layer falls back to simulated execution, with the reason', async () => {
    const { model, report } = await quantize(base, { form: 'dynamic', mode: 'dynamic', scheme: 'asym' });
    expect(report.simulated).toEqual(['conv1', 'conv2']);
    expect(report.notes.join('\n')).toMatch(/ConvInteger takes a single weight zero point/);
    expect(markers(model).mm!.form).toBe('dynamic');
  });

  it('handles Gemm alpha/beta, transB=0 and depthwise convolutions', async () => {
    const model = convNetModel({ gemm: { transB: 0, alpha: 0.5, beta: 2 }, depthwise: true });
    const r = await runModel(model, x, [8, 2, 6, 6]);
    for (const raw of [{ form: 'qoperator' }, { form: 'qdq' }, { form: 'dynamic', mode: 'dynamic' }, { form: 'matmulnbits', bits: 4 }]) {
      const out = await runModel((await quantize(model, raw)).model, x, [8, 2, 6, 6]);
      expect(maxAbsDiff(out.data, r.data), JSON.stringify(raw)).toBeLessThan(0.3 * Math.max(...r.data.map(Math.abs)));
    }
  });
});

describe('simulated widths', () => {
  /** Distinct values per output channel of each quantized layer's weight initializer. */
  function levels(model: onnx.IModelProto): number[][] {
    const view = new GraphView(model.graph!);
    return (model.graph!.node ?? []).flatMap((n) => {
      const m = readMarker(n);
      if (!m) return [];
      const t = view.initializer(m.weight!)!;
      const dims = tensorDims(t);
      const ch = channelOf(dims, m.axis!);
      const sets = Array.from({ length: dims[m.axis!]! }, () => new Set<number>());
      tensorToFloat32(t).forEach((v, i) => sets[ch(i)]!.add(v));
      return [sets.map((s) => s.size)];
    });
  }

  it('2-bit layers are simulated and take exactly 4 values per channel', async () => {
    const model = mlpModel([64, 48, 32, 10]);
    const { model: q, report } = await quantizePass.apply(model, params(quantizePass, { bits: 2, scheme: 'asym', form: 'simulated' }), testContext(randomSplit(32, 64)));
    expect(report.simulated).toEqual(['fc0', 'fc1', 'fc2']);
    expect(report.notes.join('\n')).toMatch(/simulated execution/);
    for (const perChannel of levels(q)) expect(perChannel.every((n) => n === 4)).toBe(true);
    expect((await runModel(q, randomInput(4, 64), [4, 64])).dims).toEqual([4, 10]);
  });

  it('1-bit (binary) layers are simulated and take exactly 2 values per channel', async () => {
    const model = mlpModel([64, 48, 10]);
    const { model: q, report } = await quantizePass.apply(model, params(quantizePass, { bits: 1, mode: 'dynamic' }), testContext());
    expect(report.simulated).toEqual(['fc0', 'fc1']);
    for (const perChannel of levels(q)) expect(perChannel.every((n) => n === 2)).toBe(true);
    expect(report.layers.map((l) => l.wBits)).toEqual([1, 1]);
  });

  it('mixed precision through per-layer bits', async () => {
    const { model, report } = await quantize(base, { bits: 8, 'bits.conv1': 2, 'bits.fc': 4, form: 'qdq' });
    expect(report.layers.map((l) => [l.layer, l.wBits, l.form])).toEqual([['conv1', 2, 'simulated'], ['conv2', 8, 'qdq'], ['mm', 8, 'qdq'], ['fc', 4, 'qdq']]);
    expect(markers(model).conv1).toMatchObject({ wBits: 2, aBits: 8, form: 'simulated' });
    await runModel(model, x, [8, 2, 6, 6]);
  });
});

describe('property: random small models and params', () => {
  /** A fake probe (latency = model size) makes `auto` cheap and deterministic here. */
  const probe = async (models: Uint8Array[]) => models.map((m) => m.byteLength);
  const arb = fc.record({
    widths: fc.array(fc.integer({ min: 3, max: 40 }), { minLength: 2, maxLength: 4 }),
    conv: fc.boolean(),
    depthwise: fc.boolean(),
    transB: fc.constantFrom(0 as const, 1 as const),
    bits: fc.constantFrom(1, 2, 4, 8),
    scheme: fc.constantFrom('sym', 'asym'),
    granularity: fc.constantFrom('tensor', 'channel'),
    mode: fc.constantFrom('static', 'dynamic'),
    form: fc.constantFrom('auto', 'qdq', 'qoperator', 'dynamic', 'matmulnbits', 'simulated'),
    activationBits: fc.constantFrom(8, 16),
    calibration: fc.constantFrom('minmax', 'percentile', 'mse'),
  });

  it('quantize, then run: never throws and keeps output shapes', async () => {
    await fc.assert(
      fc.asyncProperty(arb, async (a) => {
        const model = a.conv ? convNetModel({ depthwise: a.depthwise, gemm: { transB: a.transB } }) : mlpModel(a.widths);
        const sample = a.conv ? SAMPLE : a.widths[0]!;
        const dims = a.conv ? [3, 2, 6, 6] : [3, a.widths[0]!];
        const raw = { bits: a.bits, scheme: a.scheme, granularity: a.granularity, mode: a.mode, form: a.form, activationBits: a.activationBits, calibration: a.calibration };
        const pass = createQuantizePass({ probe });
        const { model: q } = await pass.apply(model, params(pass, raw), testContext(randomSplit(16, sample)));
        const input = randomInput(3, sample);
        const [ref, out] = [await runModel(model, input, dims), await runModel(q, input, dims)];
        expect(out.dims).toEqual(ref.dims);
        expect(out.data.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
