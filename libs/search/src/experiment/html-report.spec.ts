import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../study/trial.js';
import { drawnItems as drawn } from '../testing/drawn-items.js';
import { parseExperiment } from './experiment-spec.js';
import { renderReport } from './html-report.js';
import { PARALLEL_SERIES, PARETO_SERIES } from './report-series.js';
import type { FrontEntry, SearchResult } from './run-experiment.js';

const MODELS = fileURLToPath(new URL('../../../../models/', import.meta.url));
const exp = parseExperiment(
  `
name: report-test
model: lenet-5
dataset: mnist
targets: [raspberry-pi-4]
space: { prune: { params: { sparsity: { min: 0.1, max: 0.9 } } } }
objectives:
  - maximize: accuracy
  - minimize: latency
    target: raspberry-pi-4
  - minimize: packedBytes
constraints:
  - { metric: accuracy, min: 0.5 }
budget: { trials: 12 }
`,
  '<inline>',
  { modelDirs: [MODELS] },
);

const LAT = 'latencyMs@raspberry-pi-4';
/** 12 trials: 0–4 on the front (knee 2), 5–8 dominated, 9–10 infeasible (accuracy < 0.5), 11 a cached copy of 0. */
const values: [number, number, number][] = [
  [0.97, 0.09, 150_000],
  [0.95, 0.08, 120_000],
  [0.93, 0.07, 90_000],
  [0.9, 0.06, 60_000],
  [0.8, 0.05, 20_000],
  [0.9, 0.09, 150_000],
  [0.85, 0.08, 130_000],
  [0.7, 0.09, 100_000],
  [0.6, 0.07, 95_000],
  [0.3, 0.04, 10_000],
  [0.1, 0.03, 5_000],
  [0.97, 0.09, 150_000],
];
const trials: TrialRecord[] = values.map((v, number) => ({
  number,
  state: 'COMPLETE',
  config: { 'prune.sparsity': 0.1 + number / 20 },
  configHash: `h${number === 11 ? 0 : number}`,
  values: v,
  metrics: { accuracy: v[0], [LAT]: v[1], packedBytes: v[2] },
  constraints: [0.5 - v[0]],
  intermediate: [],
  promotions: [],
  startedAt: 'T',
  attrs: {},
  ...(number === 11 ? { cachedFrom: 0 } : {}),
}));
const front: FrontEntry[] = [0, 1, 2, 3, 4].map((n) => ({
  trial: n,
  config: trials[n]!.config,
  metrics: { ...trials[n]!.metrics, testAccuracy: values[n]![0] - 0.01 },
  artifact: `/tmp/front/trial-${n}.onnx`,
  artifactKey: 'k',
  passes: ['prune'],
}));
const result: SearchResult = {
  study: { id: 'report-test-1', name: 'report-test', sampler: 'nsga2', seed: 1, resumed: false, objectives: exp.objectives, constraints: exp.constraints },
  trials: 12,
  completed: 12,
  failed: 0,
  pruned: 0,
  hypervolume: 1234.5,
  reference: [0, 0.1, 230_000],
  hypervolumeHistory: values.map((_, k) => 100 * Math.min(k + 1, 5)),
  front,
  knee: front[2]!,
  baseline: { accuracy: 0.974, [LAT]: 0.091, packedBytes: 209_215, testAccuracy: 0.9835 },
  report: null,
  outDir: null,
  seconds: 3,
  trialRecords: trials,
};


const html = await renderReport(exp, result);

describe('HTML report (ECharts, server-side SVG)', () => {
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

  it('is one self-contained page: inline SVG only, no script, nothing fetched', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).not.toMatch(/<(img|link|iframe)\b/i);
    expect(svgs).toHaveLength(3 + 1 + 1); // 3 objective pairs, hypervolume, parallel coordinates
  });

  it('draws every completed trial once per Pareto plot, in the right series', () => {
    const index = (name: (typeof PARETO_SERIES)[number]) => PARETO_SERIES.indexOf(name);
    for (const svg of svgs.slice(0, 3)) {
      expect(drawn(svg, index('front'))).toBe(4); // trials 0, 1, 3, 4 (2 is the knee)
      expect(drawn(svg, index('knee'))).toBe(1);
      expect(drawn(svg, index('other trials'))).toBe(4); // 5–8; the cached copy 11 is not a new point
      expect(drawn(svg, index('infeasible'))).toBe(2);
      expect(drawn(svg, index('uncompressed'))).toBe(1);
    }
    // x is the minimized objective, y the maximized one
    expect(svgs[0]).toMatch(/>accuracy vs latencyMs@raspberry-pi-4</);
    expect(svgs[1]).toMatch(/>accuracy vs packedBytes</);
    expect(svgs[2]).toMatch(/>packedBytes vs latencyMs@raspberry-pi-4</);
    // front points carry their trial number (the key of the front table)
    expect(svgs[0]).toMatch(/>3<\/text>/);
  });

  it('uses a log axis where the values span more than 30x', () => {
    expect(svgs[1]).toMatch(/packedBytes \(log\)/); // 5k – 209k
    expect(svgs[0]).not.toMatch(/\(log\)/); // 0.03 – 0.09 ms
  });

  it('plots the hypervolume curve and one parallel-coordinates line per front model', () => {
    expect(svgs[3]).toMatch(/hypervolume over trials/);
    expect(svgs[3]).toMatch(/>500</); // the top of the curve on the y axis
    const parallel = svgs[4]!;
    expect(drawn(parallel, PARALLEL_SERIES.indexOf('front'))).toBe(4);
    expect(drawn(parallel, PARALLEL_SERIES.indexOf('knee'))).toBe(1);
    expect(drawn(parallel, PARALLEL_SERIES.indexOf('uncompressed'))).toBe(1);
    for (const axis of ['accuracy', LAT, 'packedBytes', 'testAccuracy']) expect(parallel).toContain(`>${axis}`);
  });

  it('lists the front in the table with the knee marked', () => {
    expect(html.match(/<tr(?: class="knee")?><td>\d+/g)).toHaveLength(5);
    expect(html).toMatch(/<tr class="knee"><td>2 ★/);
    expect(html).toMatch(/0 of them beat the uncompressed model/);
  });
});
