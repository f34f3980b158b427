import type { Command } from 'commander';
import { UserInputError } from '@edgefit/core';
import { loadDataset, subset, SPLIT_NAMES, type SplitName } from '@edgefit/data';
import { anomalyClasses, modelTask } from '@edgefit/onnx';
import { evaluateAccuracy, evaluateAnomaly } from '@edgefit/evaluate';
import { emitResult } from '../cli-output.js';
import { intListOption, intOption } from '../cli-options.js';
import { resolveModel } from '../model-source.js';

interface EvalFlags {
  dataset: string;
  split: string;
  limit?: number;
  splitSeed: number;
  threads: number;
  anomalyClasses?: number[];
  json?: boolean;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval <model>')
    .description('accuracy of a classifier (AUROC of an autoencoder) on a dataset split, through onnxruntime')
    .requiredOption('--dataset <name>', 'mnist, fashion-mnist, idx:<images>,<labels> or npy:<x>,<y>')
    .option('--split <name>', `one of ${SPLIT_NAMES.join(', ')}`, 'test')
    .option('--limit <n>', 'evaluate the first n samples of a seeded shuffle only', intOption('--limit', 1, 10_000_000))
    .option('--split-seed <n>', 'seed of the dataset split', intOption('--split-seed', 0, 2 ** 31 - 1), 42)
    .option('--threads <n>', 'onnxruntime intra-op threads', intOption('--threads', 1, 256), 1)
    .option('--anomaly-classes <list>', 'autoencoder: anomaly classes (default: from the model, else 0)', intListOption('--anomaly-classes', 0, 1000))
    .option('--json', 'print one JSON object on stdout')
    .action(async (modelSpec: string, flags: EvalFlags) => {
      if (!SPLIT_NAMES.includes(flags.split as SplitName)) {
        throw new UserInputError(`--split must be one of ${SPLIT_NAMES.join(', ')}, got '${flags.split}'`);
      }
      const { model, bytes, source } = await resolveModel(modelSpec);
      const dataset = loadDataset(flags.dataset, { seed: flags.splitSeed });
      const full = dataset.splits[flags.split as SplitName];
      const split = flags.limit ? subset(full, flags.limit, flags.splitSeed) : full;
      const opts = { splitName: flags.split, sampleShape: dataset.inputShape, threads: flags.threads };
      const base = { model: source, dataset: dataset.name, split: flags.split, splitInfo: dataset.splitInfo };
      if (modelTask(model) === 'anomaly') {
        const classes = flags.anomalyClasses ?? anomalyClasses(model);
        const r = await evaluateAnomaly(bytes, split, classes, opts);
        emitResult(flags, { ...base, metric: 'auroc', accuracy: r.auroc, ...r, anomalyClasses: classes }, () =>
          `${source} on ${dataset.name}/${flags.split}: AUROC ${r.auroc.toFixed(4)} (${r.samples} samples, ${r.anomalies} anomalies of classes ${classes})`);
        return;
      }
      const r = await evaluateAccuracy(bytes, split, opts);
      emitResult(flags, { ...base, metric: 'accuracy', ...r }, () =>
        `${source} on ${dataset.name}/${flags.split}: accuracy ${(r.accuracy * 100).toFixed(2)}% (${r.correct}/${r.samples})`);
    });
}
