import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PassRegistry, prunePass, type Pass } from '@edgefit/compress';
import { loadDataset, type Dataset } from '@edgefit/data';
import { defaultHostProfile } from '@edgefit/hardware';
import { parseExperiment } from '../experiment/experiment-spec.js';
import { runExperiment } from '../experiment/run-experiment.js';
import { TrialEvaluator } from './trial-evaluator.js';

const MODELS = fileURLToPath(new URL('../../../../models/', import.meta.url));
const opts = { modelDirs: [MODELS] };

const EXPERIMENT = `
name: evaluator-test
model: lenet-300-100
dataset: mnist
targets: [raspberry-pi-4, stm32h743]
space:
  prune:
    params:
      method: magnitude
      sparsity: { min: 0.1, max: 0.95 }
objectives:
  - maximize: accuracy
  - minimize: latency
    target: raspberry-pi-4
  - packedBytes
constraints:
  - fits: stm32h743
budget: { trials: 3 }
seed: 7
sampler: random
fidelity: { validationSubset: 200, fineTune: false }
baseline: false
`;

describe('TrialEvaluator and runExperiment (lenet-300-100, 200 validation samples)', () => {
  let dataset: Dataset;
  const cacheDir = mkdtempSync(join(tmpdir(), 'edgefit-eval-cache-'));
  beforeAll(() => {
    dataset = loadDataset('mnist', { seed: 42 });
  });

  it('a 3-trial run gives metrics that are numbers in range, with provenance', async () => {
    const exp = parseExperiment(EXPERIMENT, '<inline>', opts);
    const r = await runExperiment(exp, { dataset, cacheDir, finalize: false });
    expect(r.trials).toBe(3);
    expect(r.completed).toBe(3);
    for (const t of r.trialRecords) {
      const m = t.metrics;
      expect(m.accuracy).toBeGreaterThanOrEqual(0);
      expect(m.accuracy).toBeLessThanOrEqual(1);
      expect(m.validationSamples).toBe(200);
      expect(m.packedBytes).toBeGreaterThan(0);
      expect(m.packedBytes).toBeLessThan(m.onnxBytes!);
      expect(m.params).toBeGreaterThan(0);
      for (const dev of ['raspberry-pi-4', 'stm32h743']) {
        expect(m[`latencyMs@${dev}`]).toBeGreaterThan(0);
        expect(m[`energyMj@${dev}`]).toBeGreaterThan(0);
        expect(m[`peakMemoryBytes@${dev}`]).toBeGreaterThan(0);
        expect([0, 1]).toContain(m[`fits@${dev}`]);
      }
      expect(m.hostLatencyMs).toBeUndefined(); // measured only when asked for
      expect(t.values).toEqual([m.accuracy, m['latencyMs@raspberry-pi-4'], m.packedBytes]);
      expect(t.constraints).toEqual([1 - m['fits@stm32h743']!]);
      if (t.cachedFrom !== undefined) continue; // a repeated config reuses the earlier trial's result
      expect(t.provenance).toMatchObject({ seed: 7, threads: 1, split: 'validation', validationSamples: 200, dataset: 'mnist', splitSeed: 42 });
      expect(typeof (t.provenance as Record<string, unknown>).cpu).toBe('string');
      expect((t.provenance as Record<string, unknown>).onnxruntime).toBeTruthy();
    }
    expect(r.hypervolume).toBeGreaterThan(0);
    expect(r.hypervolumeHistory).toHaveLength(3);
  });

  it('pruning at 0.9 packs smaller than no pruning', async () => {
    const exp = parseExperiment(EXPERIMENT, '<inline>', opts);
    const ev = new TrialEvaluator(exp, { dataset, cacheDir });
    const none = await ev.evaluate({ 'prune.enabled': false });
    const pruned = await ev.evaluate({ 'prune.enabled': true, 'prune.sparsity': 0.9 });
    expect(none.steps).toEqual([]);
    expect(pruned.steps.map((s) => s.pass)).toEqual(['prune']);
    expect(pruned.metrics.packedBytes).toBeLessThan(none.metrics.packedBytes! * 0.5);
    expect(pruned.metrics.accuracy).toBeLessThanOrEqual(1);
  });

  it('a host profile calibrated on executed graphs prices each trial through the graph onnxruntime runs here', async () => {
    const exp = parseExperiment(EXPERIMENT, '<inline>', opts);
    const coef = (c: { interceptMs?: number; msPerMac?: number }) => ({ interceptMs: 0, msPerMac: 0, msPerByte: 0, msPerOutputByte: 0, samples: 1, rmsRelativeError: 0, ...c });
    // only an executed graph has an `output:*` kernel: its 1 ms shows which plan priced the trial
    const calibration = { method: 'test', measuredAt: '2026-11-29', host: 'test', threads: 1, runOverheadMs: 0.01, graph: 'executed' as const, ops: { 'matmul:fp32': coef({ msPerMac: 1e-6 }), 'output:fp32': coef({ interceptMs: 1 }) } };
    const host = { ...defaultHostProfile(), calibration };
    exp.targets = [{ name: 'host-cpu', profile: host }, ...exp.targets.slice(1)];
    exp.objectives = exp.objectives.map((o) => (o.name === 'latencyMs@raspberry-pi-4' ? { ...o, name: 'latencyMs@host-cpu' } : o));
    const ev = new TrialEvaluator(exp, { dataset, cacheDir });
    const none = await ev.evaluate({ 'prune.enabled': false });
    // lenet-300-100 at batch 1 runs three (fused) Gemm kernels: 784·300 + 300·100 + 100·10 MACs
    expect(none.metrics['latencyMs@host-cpu']).toBeCloseTo(0.01 + 1 + 1e-6 * (784 * 300 + 300 * 100 + 100 * 10), 9);
  });

  it('the same seed gives the same configs and the same predicted metrics', async () => {
    const exp = parseExperiment(EXPERIMENT, '<inline>', opts);
    const a = await runExperiment(exp, { dataset, cacheDir, finalize: false });
    const b = await runExperiment(exp, { dataset, cacheDir: null, finalize: false }); // rebuilt, not from the cache
    const view = (r: typeof a) =>
      r.trialRecords.map((t) => ({
        config: t.config,
        accuracy: t.metrics.accuracy,
        packed: t.metrics.packedBytes,
        latency: t.metrics['latencyMs@raspberry-pi-4'],
        energy: t.metrics['energyMj@stm32h743'],
      }));
    expect(view(b)).toEqual(view(a));
    expect(b.front.map((f) => f.trial)).toEqual(a.front.map((f) => f.trial));
    const other = await runExperiment(exp, { dataset, cacheDir, finalize: false, seed: 8 });
    expect(other.trialRecords.map((t) => t.config)).not.toEqual(a.trialRecords.map((t) => t.config));
  });

  it('successive halving over validation-subset sizes records promotions and prunes the rest', async () => {
    const text = EXPERIMENT.replace('fidelity: { validationSubset: 200, fineTune: false }', 'fidelity: { fineTune: false, halving: { validationSubsets: [100, 300], eta: 2 } }').replace('trials: 3', 'trials: 4');
    const exp = parseExperiment(text, '<inline>', opts);
    const r = await runExperiment(exp, { dataset, cacheDir, finalize: false });
    expect(r.trials).toBe(4);
    const fresh = r.trialRecords.filter((t) => t.cachedFrom === undefined);
    const pruned = fresh.filter((t) => t.state === 'PRUNED');
    const promoted = fresh.filter((t) => t.promotions.length > 0);
    expect(pruned.length + promoted.length).toBe(fresh.length);
    for (const t of pruned) expect(t.metrics.validationSamples).toBe(100);
    for (const t of promoted) {
      expect(t.state).toBe('COMPLETE');
      expect(t.fidelity).toBe(300);
      expect(t.metrics.validationSamples).toBe(300);
      expect(t.intermediate[0]!.fidelity).toBe(100);
    }
  });

  it('a pass that fails on a config fails that trial, and the study goes on', async () => {
    const boom: Pass = {
      name: 'boom',
      description: 'fails above 0.5',
      params: { level: { kind: 'float', default: 0, min: 0, max: 1, description: 'x' } },
      async apply(model, params) {
        if ((params.values.level as number) > 0.5) throw new Error(`boom: level ${params.values.level} is too high`);
        return { model, report: { pass: 'boom', params, layers: [], simulated: [], notes: [] } };
      },
    };
    const registry = new PassRegistry().register(prunePass).register(boom);
    const text = EXPERIMENT.replace('space:\n', 'space:\n  boom:\n    optional: false\n    params:\n      level: { min: 0, max: 1 }\n').replace('trials: 3', 'trials: 6');
    const exp = parseExperiment(text, '<inline>', { ...opts, registry });
    const r = await runExperiment(exp, { dataset, cacheDir, finalize: false, registry });
    expect(r.trials).toBe(6);
    const failed = r.trialRecords.filter((t) => t.state === 'FAIL');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(6);
    for (const t of failed) expect(t.error).toMatch(/boom: level 0\.\d+ is too high/);
    for (const t of r.trialRecords) expect(t.state === 'FAIL').toBe((t.config['boom.level'] as number) > 0.5);
  });
});
