import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { saveModel } from '@edgefit/onnx';
import { emitResult, log } from '../cli-output.js';
import { floatOption, intListOption, intOption } from '../cli-options.js';
import { resolveModel } from '../model-source.js';
import { trainingProgressBar } from '../progress-bar.js';

interface TrainFlags {
  dataset: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  patience?: number;
  shift?: number;
  seed: number;
  splitSeed: number;
  trainLimit?: number;
  anomalyClasses?: number[];
  out?: string;
  json?: boolean;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train <model>')
    .description('train a zoo model from scratch, or fine-tune an ONNX file, on a dataset; reports test-split accuracy')
    .requiredOption('--dataset <name>', 'mnist, fashion-mnist, idx:<images>,<labels> or npy:<x>,<y>')
    .option('--epochs <n>', 'maximum epochs (default: the zoo recipe)', intOption('--epochs', 1, 1000))
    .option('--batch-size <n>', 'batch size', intOption('--batch-size', 1, 4096))
    .option('--lr <x>', 'peak learning rate (Adam)', floatOption('--lr', 1e-7, 10))
    .option('--patience <n>', 'early-stopping patience in epochs', intOption('--patience', 1, 1000))
    .option('--shift <px>', 'random-shift augmentation in pixels', intOption('--shift', 0, 8))
    .option('--seed <n>', 'seed of weight init, data order, augmentation and dropout', intOption('--seed', 0, 2 ** 31 - 1), 1)
    .option('--split-seed <n>', 'seed of the train/validation/test split', intOption('--split-seed', 0, 2 ** 31 - 1), 42)
    .option('--train-limit <n>', 'train on this many samples only', intOption('--train-limit', 1, 10_000_000))
    .option('--anomaly-classes <list>', 'autoencoder: classes held out as anomalies (default 0)', intListOption('--anomaly-classes', 0, 1000))
    .option('--out <file>', 'where to write the trained ONNX model (default models/<model>-<dataset>.onnx)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (modelSpec: string, flags: TrainFlags) => {
      const { model, source, zoo } = await resolveModel(modelSpec, flags.seed);
      const { runTrainJob } = await import('@edgefit/execute');
      const bar = trainingProgressBar(`train ${zoo ?? source}`);
      let result;
      try {
        result = await runTrainJob({
          model,
          zoo: zoo === source ? zoo : undefined,
          dataset: flags.dataset,
          epochs: flags.epochs,
          batchSize: flags.batchSize,
          learningRate: flags.lr,
          patience: flags.patience,
          shiftPixels: flags.shift,
          seed: flags.seed,
          splitSeed: flags.splitSeed,
          trainLimit: flags.trainLimit,
          anomalyClasses: flags.anomalyClasses,
          onProgress: bar.update,
        });
      } finally {
        bar.stop();
      }
      const out = flags.out ?? `models/${zoo ?? 'model'}-${flags.dataset.replace(/[^a-z0-9-]/gi, '_')}.onnx`;
      mkdirSync(dirname(out), { recursive: true });
      const bytes = saveModel(result.model, out);
      log(`wrote ${out} (${bytes.length} bytes)`);
      const { model: _trained, ...report } = result;
      emitResult(flags, { model: zoo ?? source, ...report, out, onnxBytes: bytes.length }, () =>
        `${zoo ?? source} on ${result.dataset}: test ${result.metric} ${(result.accuracy * 100).toFixed(2)}% after ${result.epochs} epochs (best ${result.bestEpoch}) in ${result.seconds.toFixed(1)} s → ${out}`,
      );
    });
}
