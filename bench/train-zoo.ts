/**
 * Trains the zoo models on mnist and fashion-mnist with their recipes and
 * writes them to models/<model>-<dataset>.onnx; prints one JSON line with
 * test accuracy (AUROC for the autoencoder) and training time per model.
 *
 *   node --import tsx bench/train-zoo.ts [model:dataset[:epochs] ...]
 */
import { mkdirSync } from 'node:fs';
import { getZooModel } from '@edgefit/train';
import { saveModel } from '@edgefit/onnx';
import { runTrainJob } from '@edgefit/execute';
import { printResult } from './machine.js';

const DEFAULT_JOBS = [
  'lenet-300-100:mnist', 'lenet-5:mnist', 'mobilenet-tiny:mnist', 'autoencoder:mnist',
  'lenet-300-100:fashion-mnist:12', 'lenet-5:fashion-mnist:12',
];

const jobs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_JOBS;
mkdirSync('models', { recursive: true });
const results = [];
for (const job of jobs) {
  const [name, dataset, epochs] = job.split(':') as [string, string, string | undefined];
  const zoo = getZooModel(name);
  let lastEpoch = 0;
  const r = await runTrainJob({
    model: zoo.build(1),
    zoo: name,
    dataset,
    epochs: epochs ? Number(epochs) : undefined,
    onProgress: (p) => {
      if (p.epoch !== lastEpoch && p.valMetric !== undefined) {
        lastEpoch = p.epoch;
        process.stderr.write(`${name}/${dataset} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} val ${p.valMetric.toFixed(4)}\n`);
      }
    },
  });
  const out = `models/${name}-${dataset}.onnx`;
  saveModel(r.model, out);
  const entry = {
    model: name, dataset, metric: r.metric, test: Number(r.accuracy.toFixed(4)), validation: Number(r.validationMetric.toFixed(4)),
    epochs: r.epochs, bestEpoch: r.bestEpoch, seconds: Number(r.seconds.toFixed(1)), secondsPerEpoch: Number((r.seconds / r.epochs).toFixed(1)),
    trainSamples: r.samples.train, recipe: r.recipe, backend: r.provenance.backend, out,
  };
  process.stderr.write(`${JSON.stringify(entry)}\n`);
  results.push(entry);
}
printResult('train-zoo', { results });
