import { describe, expect, it } from 'vitest';
import { getZooModel, zooModelNames } from '@edgefit/train';
import { analyzeCost } from '@edgefit/onnx';
import { predictCost, type CostPrediction } from './cost-model.js';
import { extractLayerFacts } from './layer-facts.js';
import { listProfiles, loadProfile } from './profile-loader.js';
import type { HardwareProfile } from './profile-schema.js';
import { annotateBits, convNet, mlp, qdqMlp, sparsify, toQdq } from './testing/models.js';

const profiles = listProfiles();
const layer = (p: CostPrediction, name: string) => p.perLayer.find((l) => l.name === name && l.kind !== 'absorbed')!;

describe('edge-tpu (int8 ASIC with a host fallback)', () => {
  const tpu = loadProfile('edge-tpu');
  const float = convNet([32, 64], { input: [3, 32, 32] });
  const int8 = toQdq(float);

  it('runs int8 layers on the TPU and sends float layers to the host CPU, where the same layer costs more', () => {
    const pf = predictCost(float, tpu);
    const pq = predictCost(int8, tpu);
    expect(layer(pq, 'conv1')).toMatchObject({ device: 'edge-tpu', precision: 'int8', fallback: false });
    expect(layer(pf, 'conv1')).toMatchObject({ device: 'host-cpu', fallback: true });
    expect(pq.fallbackLayers).toBe(0);
    expect(pf.fallbackDevice).toBe('host-cpu');
    expect(layer(pf, 'conv1').latencyMs).toBeGreaterThan(3 * layer(pq, 'conv1').latencyMs);
    expect(pf.latencyMs).toBeGreaterThan(pq.latencyMs);
    expect(pf.energyMj).toBeGreaterThan(pq.energyMj);
  });

  it('moves the first unsupported op and everything after it to the host, paying the USB link', () => {
    const model = toQdq(float);
    const g = model.graph!;
    const at = g.node!.findIndex((n) => n.opType === 'MaxPool');
    const out = g.node![at]!.output![0]!;
    g.node![at]!.output = [`${out}.pre`];
    g.node!.splice(at + 1, 0, { opType: 'Erf', input: [`${out}.pre`], output: [out], name: 'erf' });
    const p = predictCost(model, tpu);
    const erf = p.perLayer.findIndex((l) => l.name === 'erf');
    expect(p.perLayer[erf]).toMatchObject({ device: 'host-cpu', fallback: true });
    expect(p.perLayer[erf]!.transferMs).toBeGreaterThan(0);
    const costedAfter = p.perLayer.slice(erf).filter((l) => l.kind === 'mac' || l.kind === 'elementwise');
    expect(costedAfter.length).toBeGreaterThan(2);
    for (const l of costedAfter) expect(l.device).toBe('host-cpu');
    expect(p.perLayer.slice(0, erf).filter((l) => l.kind === 'mac').every((l) => l.device === 'edge-tpu')).toBe(true);
  });

  it('streams weights beyond its 8 MB of SRAM from the host: a model over 8 MB costs more per MAC', () => {
    const fits = predictCost(qdqMlp([2048, 2048]), tpu); // 4 MB of int8 weights
    const over = predictCost(qdqMlp([2048, 2048, 2048, 2048]), tpu); // 12 MB
    expect(fits.weightBytes).toBeLessThan(8 * 2 ** 20);
    expect(over.weightBytes).toBeGreaterThan(8 * 2 ** 20);
    const streamed = over.perLayer.reduce((s, l) => s + (l.weightSource.host ?? 0), 0);
    expect(streamed).toBeGreaterThan(3.5 * 2 ** 20);
    expect(over.latencyMs / over.macs).toBeGreaterThan(5 * (fits.latencyMs / fits.macs));
    expect(over.energyMj / over.macs).toBeGreaterThan(fits.energyMj / fits.macs);
  });
});

describe('stm32h743 (MCU: 2 MB flash, 1 MB SRAM)', () => {
  const mcu = loadProfile('stm32h743');

  it('fits an int8 LeNet-5: weights in flash, activations in SRAM', () => {
    const p = predictCost(toQdq(getZooModel('lenet-5').build(1)), mcu);
    expect(p.fits).toBe(true);
    expect(p.reasons).toEqual([]);
    expect(p.flashBytes).toBeGreaterThan(61_706);
    expect(p.flashBytes).toBeLessThan(64_000);
    expect(p.peakMemoryBytes).toBeLessThan(16 * 1024);
    expect(p.perLayer.filter((l) => l.kind === 'mac').every((l) => l.precision === 'int8')).toBe(true);
    const fp32 = predictCost(getZooModel('lenet-5').build(1), mcu);
    expect(fp32.flashBytes).toBe(246_824);
    expect(fp32.latencyMs).toBeGreaterThan(p.latencyMs);
  });

  it('rejects a model whose activations exceed its SRAM', () => {
    const p = predictCost(convNet([16], { input: [3, 160, 160], classes: 2 }), mcu);
    expect(p.fits).toBe(false);
    expect(p.peakMemoryBytes).toBeGreaterThan(p.ramCapacityBytes);
    expect(p.reasons.join('\n')).toMatch(/RAM/);
  });

  it('rejects a model whose weights exceed its flash', () => {
    const p = predictCost(mlp([1024, 1024], { constant: true }), mcu);
    expect(p.fits).toBe(false);
    expect(p.flashBytes).toBeGreaterThan(2 * 2 ** 20);
    expect(p.reasons).toEqual([expect.stringMatching(/flash/)]);
  });
});

describe('bit-serial and bit-flexible accelerators', () => {
  // batch 1024 makes the layer big enough that the per-layer overhead is noise next to its compute
  const base = mlp([512, 512], { batch: 1024 });
  for (const device of ['bismo-fpga', 'bitfusion']) {
    it(`${device}: latency of a compute-bound layer scales with weight bits × activation bits`, () => {
      const p = loadProfile(device);
      const at = (w: number, a: number) => layer(predictCost(annotateBits(base, w, a), p), 'fc1');
      const [l8, l4, l2] = [at(8, 8), at(4, 4), at(2, 2)];
      for (const l of [l8, l4, l2]) expect(l.bound).toBe('compute');
      expect(l8.precision).toBe('int8 bit-serial');
      // the layer's own time (the host-link transfer of the graph input does not depend on bits)
      const own = (l: typeof l8) => l.latencyMs - l.transferMs;
      expect(own(l8) / own(l4)).toBeGreaterThan(4 * 0.9);
      expect(own(l8) / own(l4)).toBeLessThan(4 * 1.1);
      expect(own(l8) / own(l2)).toBeGreaterThan(16 * 0.9);
      expect(own(l8) / own(l2)).toBeLessThan(16 * 1.1);
      // mixed widths: w2a8 does a quarter of the w8a8 work
      expect(at(8, 8).computeMs / at(2, 8).computeMs).toBeCloseTo(4, 5);
      // the energy of the MACs scales the same way
      expect(l8.computeEnergyMj / l2.computeEnergyMj).toBeCloseTo(16, 6);
      expect(l8.energyMj).toBeGreaterThan(l2.energyMj);
    });
  }

  it('runs a real int8 operator form (QDQ) like an 8×8 annotation', () => {
    const p = loadProfile('bitfusion');
    const qdq = layer(predictCost(toQdq(base), p), 'fc1');
    const ann = layer(predictCost(annotateBits(base, 8, 8), p), 'fc1');
    expect(qdq.precision).toBe('int8 bit-serial');
    expect(qdq.computeMs).toBeCloseTo(ann.computeMs, 9);
  });
});

describe('every built-in profile', () => {
  it('predicts every zoo model with positive, finite figures and one entry per node', () => {
    for (const name of zooModelNames()) {
      const model = getZooModel(name).build(1);
      for (const p of profiles) {
        const r = predictCost(model, p);
        expect(r.perLayer).toHaveLength(model.graph!.node!.length);
        expect(Number.isFinite(r.latencyMs) && r.latencyMs > 0, `${name} on ${p.name}`).toBe(true);
        expect(Number.isFinite(r.energyMj) && r.energyMj > 0, `${name} on ${p.name}`).toBe(true);
        const parts = r.energyBreakdownMj;
        expect(parts.compute + parts.memory + parts.transfer + parts.static).toBeCloseTo(r.energyMj, 9);
        if (p.class !== 'mcu') expect(r.fits, `${name} on ${p.name}: ${r.reasons}`).toBe(true);
      }
    }
  });

  it('predicts lower latency and energy for a structurally pruned model (half the channels)', () => {
    const full = convNet([32, 64], { input: [3, 32, 32] });
    const half = convNet([16, 32], { input: [3, 32, 32] });
    for (const p of profiles) {
      for (const [a, b] of [[full, half], [toQdq(full), toQdq(half)]] as const) {
        const [pa, pb] = [predictCost(a, p), predictCost(b, p)];
        expect(pb.latencyMs, p.name).toBeLessThan(pa.latencyMs);
        expect(pb.energyMj, p.name).toBeLessThan(pa.energyMj);
      }
    }
  });

  it('grows with the batch', () => {
    for (const p of profiles) {
      const model = getZooModel('lenet-5').build(1);
      expect(predictCost(model, p, { batch: 16 }).latencyMs, p.name).toBeGreaterThan(predictCost(model, p, { batch: 1 }).latencyMs);
    }
  });
});

describe('sparsity counts only where the device exploits it', () => {
  const dense = mlp([1024, 1024], { batch: 64 });
  const unstructured = sparsify(dense, 'random', 0.75);
  const nm = sparsify(dense, '2:4');

  it('changes nothing on devices without sparse support (all built-ins)', () => {
    for (const p of profiles) {
      expect(p.sparsity.kind === 'none' || p.sparsity.kind === 'structured').toBe(true);
      expect(predictCost(unstructured, p).latencyMs, p.name).toBeCloseTo(predictCost(dense, p).latencyMs, 12);
    }
  });

  it('cuts work where unstructured sparsity is supported', () => {
    const rpi = loadProfile('raspberry-pi-4');
    const sparseRpi: HardwareProfile = { ...rpi, sparsity: { kind: 'unstructured' } };
    const d = layer(predictCost(dense, sparseRpi), 'fc1');
    const s = layer(predictCost(unstructured, sparseRpi), 'fc1');
    expect(s.sparsityExploited).toBeGreaterThan(0.7);
    expect(s.work / d.work).toBeCloseTo(1 - s.sparsityExploited, 9);
    expect(s.latencyMs).toBeLessThan(d.latencyMs * 0.5);
  });

  it('cuts work for N:M only when the weights follow the pattern', () => {
    const rpi = loadProfile('raspberry-pi-4');
    const nmRpi: HardwareProfile = { ...rpi, sparsity: { kind: 'nm', n: 2, m: 4 } };
    const d = layer(predictCost(dense, nmRpi), 'fc1');
    expect(layer(predictCost(nm, nmRpi), 'fc1').work).toBeCloseTo(d.work / 2, 6);
    expect(layer(predictCost(unstructured, nmRpi), 'fc1').work).toBe(d.work); // sparser, but not 2:4
  });
});

describe('inputs', () => {
  it('accepts facts extracted once (the same answer as from the model) and a bare analyzeCost report', () => {
    const model = getZooModel('lenet-5').build(1);
    const rpi = loadProfile('raspberry-pi-4');
    const facts = extractLayerFacts(model, { batch: 4 });
    expect(predictCost(facts, rpi).latencyMs).toBe(predictCost(model, rpi, { batch: 4 }).latencyMs);
    expect(predictCost(facts, rpi).batch).toBe(4);
    const fromReport = predictCost(analyzeCost(model, { batch: 4 }), rpi);
    expect(fromReport.perLayer).toHaveLength(model.graph!.node!.length);
    const ratio = fromReport.latencyMs / predictCost(model, rpi, { batch: 4 }).latencyMs;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('software stacks', () => {
  it('onnxruntime (CPU) fuses complete int8 QDQ groups but runs int4 weights through float DequantizeLinear', () => {
    const rpi = loadProfile('raspberry-pi-4');
    const base = mlp([512, 512, 512], { batch: 8 });
    const int8 = predictCost(toQdq(base), rpi);
    const int4 = predictCost(toQdq(base, { wBits: 4 }), rpi);
    expect(layer(int8, 'fc1').precision).toBe('int8');
    expect(layer(int4, 'fc1').precision).toBe('fp32');
    expect(int4.latencyMs).toBeGreaterThan(int8.latencyMs);
    // while a folding stack (TFLite Micro) computes the int4 layer as w4a8 on integer units
    const mcu = predictCost(toQdq(base, { wBits: 4 }), loadProfile('stm32h743'));
    expect(layer(mcu, 'fc1').precision).toBe('w4a8');
  });

  it('uses calibrated per-operator coefficients where the profile has them', () => {
    const rpi = loadProfile('raspberry-pi-4');
    const calibrated: HardwareProfile = {
      ...rpi,
      calibration: {
        method: 'test', measuredAt: '2025-01-01', host: 'test', threads: 4, runOverheadMs: 0.05,
        ops: { 'matmul:fp32': { interceptMs: 0.01, msPerMac: 1e-7, msPerByte: 1e-6, samples: 5, rmsRelativeError: 0.01 } },
      },
    };
    const p = predictCost(mlp([256, 128]), calibrated);
    const fc = layer(p, 'fc1');
    const bytes = fc.weightBytes + fc.activationBytes;
    expect(fc.bound).toBe('calibrated');
    expect(fc.latencyMs).toBeCloseTo(0.01 + 1e-7 * 256 * 128 + 1e-6 * bytes, 12);
    expect(p.latencyMs).toBeCloseTo(fc.latencyMs + 0.05, 12);
    expect(p.calibrated).toBe(true);
  });
});
