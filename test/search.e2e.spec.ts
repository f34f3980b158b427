import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, subset } from '@edgefit/data';
import { evaluateAccuracy } from '@edgefit/evaluate';
import { drawnItems, PARETO_SERIES } from '@edgefit/search';
import { runCli, type CliResult } from './run-cli.js';

const MODEL = fileURLToPath(new URL('../models/lenet-300-100-mnist.onnx', import.meta.url));

/** A tiny study: 5 trials, 200 validation samples, 500 test samples, no fine-tuning. */
const EXPERIMENT = `
name: e2e-tiny
model: ${MODEL}
dataset: mnist
targets: [raspberry-pi-4, stm32h743]
space:
  prune:
    params:
      method: magnitude
      sparsity: { min: 0.3, max: 0.95 }
  quantize:
    params:
      bits: [4, 8]
      form: qdq
objectives:
  - maximize: accuracy
  - minimize: latency
    target: raspberry-pi-4
  - packedBytes
constraints:
  - fits: stm32h743
budget: { trials: 5 }
seed: 3
sampler: random
fidelity: { validationSubset: 200, testSubset: 500, calibrationSamples: 32, fineTune: false }
`;

describe('edgefit search (end to end, real binary)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgefit-search-e2e-'));
  const file = join(dir, 'tiny.yaml');
  const out = join(dir, 'out');
  const common = ['--db', join(dir, 'studies.db'), '--cache-dir', join(dir, 'cache'), '--out', out, '--json'];
  let r: CliResult;

  beforeAll(() => {
    writeFileSync(file, EXPERIMENT);
    r = runCli(['search', file, ...common], { timeoutMs: 240_000 });
  }, 300_000);

  it('prints one JSON object with the study, the front, the knee and the report', () => {
    expect(r.code, r.stderr).toBe(0);
    const j = r.json!;
    expect(typeof j.study.id).toBe('string');
    expect(j.study.objectives.map((o: { name: string }) => o.name)).toEqual(['accuracy', 'latencyMs@raspberry-pi-4', 'packedBytes']);
    expect(j.trials).toBe(5);
    expect(j.hypervolume).toBeGreaterThan(0);
    expect(j.front.length).toBeGreaterThan(0);
    for (const f of j.front) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['trial', 'config', 'metrics', 'artifact']));
      expect(f.metrics.accuracy).toBeGreaterThanOrEqual(0);
      expect(f.metrics.accuracy).toBeLessThanOrEqual(1);
      // the front is re-evaluated on the held-out test split, reported beside the validation figure
      expect(f.metrics.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(f.metrics.testAccuracy).toBeLessThanOrEqual(1);
      expect(f.metrics.testSamples).toBe(500);
      expect(f.metrics.validationSamples).toBe(200);
      expect(f.metrics['fits@stm32h743']).toBe(1);
    }
    expect(j.front.map((f: { trial: number }) => f.trial)).toContain(j.knee.trial);
    expect(j.baseline.accuracy).toBeGreaterThan(0.8);
    expect(r.stderr).toMatch(/search \|/); // the progress bar goes to stderr
  });

  it('every front model is saved as ONNX and runs in onnxruntime', async () => {
    const data = loadDataset('mnist', { seed: 42 });
    const few = subset(data.splits.test, 100, 1);
    for (const f of r.json!.front) {
      expect(f.artifact).toBe(join(out, 'front', `trial-${f.trial}.onnx`));
      expect(existsSync(f.artifact)).toBe(true);
      const acc = await evaluateAccuracy(readFileSync(f.artifact), few, { sampleShape: data.inputShape });
      expect(acc.samples).toBe(100);
      expect(acc.accuracy).toBeGreaterThanOrEqual(0);
    }
  });

  it('writes a self-contained HTML report with the plots drawn as SVG by ECharts', () => {
    expect(r.json!.report).toBe(join(out, 'report.html'));
    const html = readFileSync(r.json!.report, 'utf8');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3 + 1 + 1); // 3 objective pairs, hypervolume over trials, parallel coordinates
    // every front model is drawn once in each Pareto plot, in the front or the knee series
    const [front, knee] = [PARETO_SERIES.indexOf('front'), PARETO_SERIES.indexOf('knee')];
    for (const svg of svgs.slice(0, 3)) expect(drawnItems(svg, front) + drawnItems(svg, knee)).toBe(r.json!.front.length);
    expect(html).toMatch(/hypervolume over trials/i);
    expect(html).toMatch(/parallel coordinates/i);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // nothing runs or is fetched at view time
  });

  it('resumes the stored study', () => {
    const again = runCli(['search', file, ...common, '--resume', '--trials', '6'], { timeoutMs: 240_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json!.study.id).toBe(r.json!.study.id);
    expect(again.json!.study.resumed).toBe(true);
    expect(again.json!.trials).toBe(6);
  }, 300_000);

  it('a bad experiment file exits 2 with one line naming the field', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, EXPERIMENT.replace('max: 0.95', 'max: 1.5'));
    const b = runCli(['search', bad, '--json'], { timeoutMs: 60_000 });
    expect(b.code).toBe(2);
    expect(b.stdout).toBe('');
    const lines = b.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/bad\.yaml: space\.prune\.params\.sparsity: max 1\.5/);

    writeFileSync(bad, 'name: [oops\n');
    const y = runCli(['search', bad], { timeoutMs: 60_000 });
    expect(y.code).toBe(2);
    expect(y.stderr.trim().split('\n')).toHaveLength(1);
    expect(y.stderr).toMatch(/not valid YAML/);
  });
});
