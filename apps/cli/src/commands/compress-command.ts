import type { Command } from 'commander';
import { intOption } from '../cli-options.js';
import type { CompressFlags } from './compress-action.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCompressCommand(program: Command): void {
  program
    .command('compress <model>')
    .description('apply compression passes (prune, quantize, …) in order; reports ONNX and packed sizes and, with a dataset, test accuracy before and after')
    .option('--pass <spec>', "a pass and its parameters, e.g. 'prune:method=magnitude,sparsity=0.9' (repeatable; per layer: sparsity.fc1=0.5)", collect, [])
    .option('--dataset <name>', 'dataset for calibration, fine-tuning and accuracy: mnist, fashion-mnist, idx:…, npy:…')
    .option('--seed <n>', 'seed of zoo weights, calibration draws and fine-tuning', intOption('--seed', 0, 2 ** 31 - 1), 1)
    .option('--split-seed <n>', 'seed of the dataset split', intOption('--split-seed', 0, 2 ** 31 - 1), 42)
    .option('--out <file>', 'where to write the compressed ONNX model (default models/<model>-compressed.onnx)')
    .option('--packed-out <file>', 'also write the packed (entropy-coded) form')
    .option('--cache-dir <dir>', 'content-addressed cache of pipeline outputs')
    .option('--train-limit <n>', 'fine-tune on this many training samples only', intOption('--train-limit', 1, 10_000_000))
    .option('--fine-tune-steps <n>', 'at most this many optimizer steps per fine-tuning run', intOption('--fine-tune-steps', 1, 10_000_000))
    .option('--calibration <n>', 'training samples used for calibration', intOption('--calibration', 1, 100_000), 256)
    .option('--eval-limit <n>', 'measure accuracy on a seeded subset of this many test samples', intOption('--eval-limit', 1, 10_000_000))
    .option('--json', 'print one JSON object on stdout')
    .action(async (modelSpec: string, flags: CompressFlags) => (await import('./compress-action.js')).runCompress(modelSpec, flags));
}
