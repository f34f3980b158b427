/**
 * Baseline figures of the trained zoo models: test accuracy (through
 * onnxruntime), params, MACs, ONNX bytes, measured median latency at batch 1
 * and 64 on one thread. Reads models/<model>-<dataset>.onnx made by
 * bench/train-zoo.ts (or `edgefit train`).
 *
 *   node --import tsx bench/baseline.ts [--dataset mnist]
 */
import { existsSync, statSync } from 'node:fs';
import { loadDataset } from '@edgefit/data';
import { inspectModel, loadModel, encodeModel } from '@edgefit/onnx';
import { measureLatency, scoreModel } from '@edgefit/evaluate';
import { zooModelNames } from '@edgefit/train';
import { printResult } from './machine.js';

const datasetArg = process.argv.indexOf('--dataset');
const datasetName = datasetArg > 0 ? process.argv[datasetArg + 1]! : 'mnist';
const dataset = loadDataset(datasetName);
const models = [];
for (const name of zooModelNames()) {
  const path = `models/${name}-${datasetName}.onnx`;
  if (!existsSync(path)) {
    process.stderr.write(`skip ${name}: ${path} not found (run bench/train-zoo.ts)\n`);
    continue;
  }
  const model = loadModel(path);
  const bytes = encodeModel(model);
  const cost = inspectModel(model, { batch: 1 });
  const { metric: metricName, value: metric } = await scoreModel(model, bytes, dataset.splits.test);
  const anomaly = metricName === 'auroc';
  const b1 = await measureLatency(path, { batch: 1, runs: 200, warmup: 20 });
  const b64 = await measureLatency(path, { batch: 64, runs: 50, warmup: 5 });
  const entry = {
    model: name, [anomaly ? 'auroc' : 'accuracy']: Number(metric.toFixed(4)), params: cost.params, macs: cost.macs,
    onnxBytes: statSync(path).size, peakActivationBytes: cost.peakActivationBytes,
    batch1: { medianMs: Number(b1.medianMs.toFixed(4)), p90Ms: Number(b1.p90Ms.toFixed(4)), cv: Number(b1.cv.toFixed(3)) },
    batch64: { medianMs: Number(b64.medianMs.toFixed(3)), p90Ms: Number(b64.p90Ms.toFixed(3)), cv: Number(b64.cv.toFixed(3)) },
  };
  process.stderr.write(`${JSON.stringify(entry)}\n`);
  models.push(entry);
}
printResult('baseline', { dataset: datasetName, threads: 1, models });
