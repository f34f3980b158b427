import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { UserInputError, errorLine, isUserInputError } from '@edgefit/core';
import { createPassContext, defaultPassRegistry, orderSteps, packModel, parsePassSpec, runPipeline } from '@edgefit/compress';
import { loadDataset, subset, type Dataset } from '@edgefit/data';
import { analyzeCost, validateModel, type onnx } from '@edgefit/onnx';
import { childProcessProbe, scoreModel } from '@edgefit/evaluate';
import { emitResult, log } from '../cli-output.js';
import { resolveModel } from '../model-source.js';

export interface CompressFlags {
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

/** Test-split score of a model: accuracy for classifiers, AUROC for autoencoders (as `edgefit eval`). */
async function score(model: onnx.ModelProto, bytes: Uint8Array, dataset: Dataset, limit: number | undefined, seed: number): Promise<{ value: number; metric: string; samples: number }> {
  const test = limit ? subset(dataset.splits.test, limit, seed) : dataset.splits.test;
  return scoreModel(model, bytes, test, { sampleShape: dataset.inputShape, splitName: 'test' });
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

/** `edgefit compress`: loaded only when the command runs (it pulls in tfjs through libs/train). */
export async function runCompress(modelSpec: string, flags: CompressFlags): Promise<void> {
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
    // form: auto times its candidates in a child process (batch 1, 1 thread), as every latency edgefit reports.
    measureLatency: childProcessProbe(),
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
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
