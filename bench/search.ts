/**
 * Search quality per sampler (issue 5's "done when"): LeNet-5 / MNIST,
 * objectives (validation accuracy, predicted latency on raspberry-pi-4,
 * packed size), prune + quantize without fine-tuning. N trials × S seeds ×
 * samplers; the hypervolume of each run's feasible front against one fixed
 * reference point (accuracy 0; latency and size at 1.1× the uncompressed
 * model), then the median per sampler and its ratio to random search's.
 * The evaluation (validation subset, calibration draws) is the same for every
 * run; only the sampler's seed changes. Compressed models are cached on disk
 * and results in-process, so configs seen by one run cost nothing in another.
 *
 *   node --import tsx bench/search.ts [--trials 100] [--seeds 5] [--samplers random,nsga2,motpe] [--validation 500]
 *
 * Prints one JSON line (bench/machine.ts printResult).
 */
import { fileURLToPath } from 'node:url';
import { loadDataset } from '@edgefit/data';
import { parseExperiment, referencePoint, runExperiment, TrialEvaluator } from '@edgefit/search';
import { printResult } from './machine.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
};
const trials = Number(arg('trials', '100'));
const seeds = Number(arg('seeds', '5'));
const samplers = arg('samplers', 'random,nsga2,motpe').split(',').map((s) => s.trim());
const validation = Number(arg('validation', '500'));
const cacheDir = arg('cache-dir', '.edgefit/cache');
for (const [k, v] of Object.entries({ trials, seeds, validation })) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);

const MODELS = fileURLToPath(new URL('../models/', import.meta.url));
const EXPERIMENT = `
name: bench-search
model: lenet-5
dataset: mnist
targets: [raspberry-pi-4]
space:
  prune:
    params:
      method: [magnitude, l1-filter]
      sparsity: { min: 0.1, max: 0.9 }
  quantize:
    params:
      bits: [2, 4, 8]
      granularity: [tensor, channel]
      form: [qdq, qoperator, dynamic]
objectives:
  - maximize: accuracy
  - minimize: latency
    target: raspberry-pi-4
  - minimize: packedBytes
budget: { trials: ${trials} }
seed: 1
fidelity: { validationSubset: ${validation}, calibrationSamples: 64, fineTune: false }
baseline: false
`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const started = performance.now();
const base = parseExperiment(EXPERIMENT, 'bench/search.ts', { modelDirs: [MODELS] });
const dataset = loadDataset(base.dataset, { seed: base.splitSeed });
const evaluator = new TrialEvaluator(base, { dataset, cacheDir });
const baseline = await evaluator.evaluateBaseline();
const reference = referencePoint(base, baseline, []);
const exp = { ...base, reference: Object.fromEntries(base.objectives.map((o, i) => [o.name, reference[i]!])) };
process.stderr.write(`baseline: ${JSON.stringify(baseline)}\nreference: ${JSON.stringify(reference)}\n`);

const results: Record<string, { hypervolumes: number[]; medianHypervolume: number; ratioToRandom?: number; medianFrontSize: number; medianSeconds: number; failed: number }> = {};
for (const sampler of samplers) {
  const hvs: number[] = [];
  const fronts: number[] = [];
  const secs: number[] = [];
  let failed = 0;
  for (let s = 1; s <= seeds; s++) {
    const t0 = performance.now();
    const r = await runExperiment(exp, { sampler, seed: s, trials, evaluator, dataset, finalize: false });
    hvs.push(r.hypervolume);
    fronts.push(r.front.length);
    secs.push((performance.now() - t0) / 1000);
    failed += r.failed;
    process.stderr.write(`${sampler} seed ${s}: hypervolume ${r.hypervolume.toPrecision(6)}, front ${r.front.length}, ${secs.at(-1)!.toFixed(1)} s\n`);
  }
  results[sampler] = { hypervolumes: hvs, medianHypervolume: median(hvs), medianFrontSize: median(fronts), medianSeconds: median(secs), failed };
}
const randomMedian = results.random?.medianHypervolume;
if (randomMedian) for (const r of Object.values(results)) r.ratioToRandom = r.medianHypervolume / randomMedian;

printResult('search', {
  model: 'lenet-5',
  dataset: 'mnist',
  objectives: base.objectives.map((o) => `${o.direction} ${o.name}`),
  trials,
  seeds,
  validationSamples: validation,
  reference,
  baseline: { accuracy: baseline.accuracy, latencyMs: baseline['latencyMs@raspberry-pi-4'], packedBytes: baseline.packedBytes },
  samplers: results,
  seconds: (performance.now() - started) / 1000,
});
