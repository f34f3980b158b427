import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Command } from 'commander';
import { UserInputError, errorLine, isUserInputError } from '@edgefit/core';
import { createPassContext, defaultPassRegistry, orderSteps, packModel, parsePassSpec, runPipeline } from '@edgefit/compress';
import { loadDataset, subset, type Dataset } from '@edgefit/data';
import { analyzeCost, getMetadata, validateModel, type onnx } from '@edgefit/onnx';
import { evaluateAccuracy, evaluateAnomaly } from '@edgefit/evaluate';
import { emitResult, log } from '../cli-output.js';
import { intOption } from '../cli-options.js';
import { resolveModel } from '../model-source.js';

interface CompressFlags {
  pass: string[];
  dataset?: string;
  seed: number;
  splitSeed: number;
  out?: string;
  packedOut?: string;
  cacheDir?: string;
  trainLimit?: number;
  fineTuneSteps?: number;
  calibration?: number;
  evalLimit?: number;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Test-split score of a model: accuracy for classifiers, AUROC for autoencoders (as `edgefit eval`). */
async function score(model: onnx.ModelProto, bytes: Uint8Array, dataset: Dataset, limit: number | undefined, seed: number): Promise<{ value: number; metric: string; samples: number }> {
  const test = limit ? subset(dataset.splits.test, limit, seed) : dataset.splits.test;
  const opts = { sampleShape: dataset.inputShape, splitName: 'test' };
  if (getMetadata(model, 'edgefit.task') === 'anomaly') {
    const classes = (getMetadata(model, 'edgefit.anomaly_classes') ?? '0').split(',').map(Number);
    const r = await evaluateAnomaly(bytes, test, classes, opts);
    return { value: r.auroc, metric: 'auroc', samples: r.samples };
  }
  const r = await evaluateAccuracy(bytes, test, opts);
  return { value: r.accuracy, metric: 'accuracy', samples: r.samples };
}

/** A model our own passes produced that fails validation is our bug (exit 1), not the user's input. */
function checkOutput(model: onnx.ModelProto): void {
  try {
    validateModel(model);
  } catch (err) {
    if (isUserInputError(err)) throw new Error(`the compressed model is invalid: ${errorLine(err)}`, { cause: err });
    throw err;
  }
}

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
    .action(async (modelSpec: string, flags: CompressFlags) => {
      const started = performance.now();
      if (flags.pass.length === 0) throw new UserInputError("compress needs at least one --pass, e.g. --pass 'prune:sparsity=0.9'");
      const { model, bytes: baseBytes, source, zoo } = await resolveModel(modelSpec, flags.seed);
      validateModel(model);
      const registry = defaultPassRegistry();
      const given = flags.pass.map((spec) => parsePassSpec(spec, registry));
      const steps = orderSteps(given);
      if (steps.some((s, i) => s !== given[i])) log(`passes run in the default order: ${steps.map((s) => s.pass).join(' → ')}`);
      const dataset = flags.dataset ? loadDataset(flags.dataset, { seed: flags.splitSeed }) : undefined;
      const ctx = createPassContext({
        dataset,
        seed: flags.seed,
        calibrationSamples: flags.calibration,
        fineTune: { trainSubset: flags.trainLimit, maxSteps: flags.fineTuneSteps },
        log,
      });
      const contextKey = {
        dataset: dataset ? { name: dataset.name, split: dataset.splitInfo } : null,
        seed: flags.seed,
        calibration: flags.calibration,
        trainLimit: flags.trainLimit ?? null,
        fineTuneSteps: flags.fineTuneSteps ?? null,
      };
      const result = await runPipeline(model, steps, registry, ctx, { cacheDir: flags.cacheDir, contextKey });
      checkOutput(result.model);

      const out = flags.out ?? `models/${(zoo ?? basename(source)).replace(/\.onnx$/i, '')}-compressed.onnx`;
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, result.bytes);
      const packed = packModel(result.model);
      const basePacked = packModel(model);
      if (flags.packedOut) {
        mkdirSync(dirname(flags.packedOut), { recursive: true });
        writeFileSync(flags.packedOut, packed.bytes);
      }
      log(`wrote ${out} (${result.bytes.length} bytes; packed ${packed.packedBytes} bytes)${result.cached ? ' from the cache' : ''}`);

      let accuracy: { dataset?: string; metric?: string; accuracy?: number; baseAccuracy?: number; evalSamples?: number } = {};
      if (dataset) {
        log('measuring test accuracy (onnxruntime)');
        const base = await score(model, baseBytes, dataset, flags.evalLimit, flags.splitSeed);
        const after = await score(result.model, result.bytes, dataset, flags.evalLimit, flags.splitSeed);
        accuracy = { dataset: dataset.name, metric: after.metric, accuracy: after.value, baseAccuracy: base.value, evalSamples: after.samples };
      }
      const params = analyzeCost(result.model, { strict: false }).params;
      const baseParams = analyzeCost(model, { strict: false }).params;
      const report = {
        model: zoo ?? source,
        out,
        onnxBytes: result.bytes.length,
        packedBytes: packed.packedBytes,
        baseOnnxBytes: baseBytes.length,
        basePackedBytes: basePacked.packedBytes,
        compression: baseBytes.length / packed.packedBytes,
        params,
        baseParams,
        ...accuracy,
        passes: result.reports,
        packed: packed.perTensor,
        key: result.key,
        cached: result.cached,
        seconds: (performance.now() - started) / 1000,
      };
      emitResult(flags, report, () => {
        const acc = dataset ? `; test ${report.metric} ${pct(report.baseAccuracy!)} → ${pct(report.accuracy!)}` : '';
        return `${report.model}: ${steps.map((s) => s.pass).join(' → ')}: ONNX ${report.baseOnnxBytes} → ${report.onnxBytes} bytes, packed ${report.packedBytes} bytes (${report.compression.toFixed(1)}x smaller than the input)${acc} → ${out}`;
      });
    });
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
