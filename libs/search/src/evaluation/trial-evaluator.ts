import { UserInputError, hashJson, provenance } from '@edgefit/core';
import { createPassContext, defaultPassRegistry, packModel, runPipeline, type PassRegistry, type PassStep } from '@edgefit/compress';
import { loadDataset, subset, type DataSplit, type Dataset } from '@edgefit/data';
import { childProcessProbe, evaluateAccuracy, evaluateAnomaly, executedGraph, measureLatency } from '@edgefit/evaluate';
import { extractLayerFacts, instantiateTemplate, predictCost, type HardwareProfile } from '@edgefit/hardware';
import { analyzeCost, anomalyClasses, modelTask, loadModel, type onnx } from '@edgefit/onnx';
import type { Config } from '../space/params.js';
import type { Experiment, TargetSpec } from '../experiment/experiment-spec.js';
import { buildExperimentSpace, type ExperimentSpace } from '../experiment/experiment-space.js';
import { metricKey } from '../experiment/metrics.js';

export const DEFAULT_CACHE_DIR = '.edgefit/cache';

export interface TrialEvaluatorOptions {
  /** Content-addressed cache of pipeline outputs (default `.edgefit/cache`; null: no cache). */
  cacheDir?: string | null;
  registry?: PassRegistry;
  log?: (message: string) => void;
  /** Preloaded dataset (tests, benches); default: loaded from the experiment. */
  dataset?: Dataset;
}

export interface EvaluateOptions {
  /** Validation samples to score on (a seeded subset); default: the experiment's `fidelity.validationSubset`, else the whole split. */
  validationSubset?: number;
  /** Run passes without fine-tuning (fineTuneEpochs 0): the cheap fidelity of successive halving. */
  noFineTune?: boolean;
}

export interface TrialEvaluation {
  metrics: Record<string, number>;
  provenance: Record<string, unknown>;
  /** The pipeline's content address (sha256). */
  artifact: string;
  bytes: Uint8Array;
  model: onnx.ModelProto;
  steps: PassStep[];
  notes: string[];
}

/**
 * Turns a config into numbers: config → pass steps (default order) →
 * runPipeline (cached by content) → validation score with onnxruntime,
 * sizes, predicted latency / energy / memory / fit on every target (template
 * targets instantiated at the config's hardware point, with their area and
 * power), and host latency measured in a child process only when an
 * objective or constraint asks for it. The test split is never read here
 * except by `testScore`, which the runner calls on the final front only.
 */
export class TrialEvaluator {
  readonly space: ExperimentSpace;
  readonly dataset: Dataset;
  readonly base: onnx.ModelProto;
  private readonly registry: PassRegistry;
  private readonly cacheDir: string | undefined;
  private readonly log: (message: string) => void;
  private readonly subsets = new Map<number, DataSplit>();
  private readonly memo = new Map<string, Omit<TrialEvaluation, 'model' | 'bytes'>>();
  private readonly measureHost: boolean;
  private readonly anomalyClasses: number[] | undefined;
  private readonly stamp: Record<string, unknown>;

  constructor(readonly experiment: Experiment, opts: TrialEvaluatorOptions = {}) {
    this.registry = opts.registry ?? defaultPassRegistry();
    this.cacheDir = opts.cacheDir === null ? undefined : (opts.cacheDir ?? DEFAULT_CACHE_DIR);
    this.log = opts.log ?? (() => {});
    this.base = loadModel(experiment.modelPath);
    this.space = buildExperimentSpace(experiment, this.base, this.registry);
    this.dataset = opts.dataset ?? loadDataset(experiment.dataset, { seed: experiment.splitSeed });
    const keys = [...experiment.objectives.map((o) => o.name), ...experiment.constraints.map((c) => c.metric)];
    this.measureHost = keys.includes('hostLatencyMs');
    this.anomalyClasses = modelTask(this.base) === 'anomaly' ? anomalyClasses(this.base) : undefined;
    this.stamp = {
      ...provenance(),
      seed: experiment.seed,
      threads: 1,
      split: 'validation',
      dataset: this.dataset.name,
      splitSeed: experiment.splitSeed,
      splitSizes: { train: this.dataset.splitInfo.train, validation: this.dataset.splitInfo.validation, test: this.dataset.splitInfo.test },
    };
  }

  /** The validation split, or its seeded subset of `n` samples. */
  validation(n?: number): DataSplit {
    const full = this.dataset.splits.validation;
    if (n === undefined || n >= full.count) return full;
    let s = this.subsets.get(n);
    if (!s) {
      s = subset(full, n, this.experiment.seed);
      this.subsets.set(n, s);
    }
    return s;
  }

  private contextKey(): unknown {
    const e = this.experiment;
    return { dataset: { name: this.dataset.name, split: this.dataset.splitInfo }, seed: e.seed, calibration: e.fidelity.calibrationSamples, fineTune: e.fidelity.fineTune };
  }

  /** The compressed model of a config (from the cache when it was built before). */
  async build(config: Config, opts: { noFineTune?: boolean } = {}): Promise<{ model: onnx.ModelProto; bytes: Uint8Array; steps: PassStep[]; key: string; cached: boolean; notes: string[] }> {
    let steps = this.space.toSteps(config);
    if (opts.noFineTune) {
      steps = steps.map((s) => ('fineTuneEpochs' in s.params.values ? { ...s, params: { ...s.params, values: { ...s.params.values, fineTuneEpochs: 0 } } } : s));
    }
    const e = this.experiment;
    const ft = e.fidelity.fineTune;
    const ctx = createPassContext({
      dataset: this.dataset,
      seed: e.seed,
      calibrationSamples: e.fidelity.calibrationSamples,
      ...(ft ? { fineTune: ft } : {}),
      log: this.log,
      // quantize form: auto times its candidates in a child process, as edgefit compress does (never on this event loop)
      measureLatency: childProcessProbe(),
    });
    const r = await runPipeline(this.base, steps, this.registry, ctx, { ...(this.cacheDir ? { cacheDir: this.cacheDir } : {}), contextKey: this.contextKey() });
    const notes = r.reports.flatMap((rep) => rep.notes.map((n) => `${rep.pass}: ${n}`));
    return { model: r.model, bytes: r.bytes, steps, key: r.key, cached: r.cached, notes };
  }

  /** Score on a split: accuracy, or AUROC for an autoencoder. */
  async score(bytes: Uint8Array, split: DataSplit, splitName: string): Promise<number> {
    const opts = { sampleShape: this.dataset.inputShape, splitName };
    if (this.anomalyClasses) return (await evaluateAnomaly(bytes, split, this.anomalyClasses, opts)).auroc;
    return (await evaluateAccuracy(bytes, split, opts)).accuracy;
  }

  /** Test-split score of a model (the final front only, never during the search). */
  async testScore(bytes: Uint8Array): Promise<{ testAccuracy: number; testSamples: number }> {
    const n = this.experiment.fidelity.testSubset;
    const full = this.dataset.splits.test;
    const split = n !== undefined && n < full.count ? subset(full, n, this.experiment.seed) : full;
    return { testAccuracy: await this.score(bytes, split, 'test'), testSamples: split.count };
  }

  /** Predicted cost on every target, for a model and a config's hardware point. */
  async predict(model: onnx.IModelProto, bytes: Uint8Array, config: Config): Promise<Record<string, number>> {
    const metrics: Record<string, number> = {};
    const facts = extractLayerFacts(model, { batch: 1, strict: false });
    // a host profile calibrated on executed graphs (profile-device) prices the kernels onnxruntime runs here
    const needsExecuted = this.experiment.targets.some((t) => t.profile.calibration?.graph === 'executed');
    const executed = needsExecuted ? await executedGraph(bytes, this.experiment.measure.threads) : undefined;
    for (const t of this.experiment.targets) {
      let profile: HardwareProfile = t.profile;
      if (t.template) {
        const point = instantiateTemplate(t.profile, this.space.templateValues(config, t));
        profile = point.profile;
        metrics[metricKey('areaMm2', t.name)] = point.areaMm2;
        metrics[metricKey('powerW', t.name)] = point.powerW;
      }
      const c = predictCost(facts, profile, { strict: false, ...(profile.calibration?.graph === 'executed' ? { executed } : {}) });
      metrics[metricKey('latencyMs', t.name)] = c.latencyMs;
      metrics[metricKey('energyMj', t.name)] = c.energyMj;
      metrics[metricKey('peakMemoryBytes', t.name)] = c.peakMemoryBytes;
      metrics[metricKey('flashBytes', t.name)] = c.flashBytes;
      metrics[metricKey('fits', t.name)] = c.fits ? 1 : 0;
    }
    return metrics;
  }

  /** Evaluate one config at a fidelity. Throws (→ trial FAIL) when a pass cannot handle the config. */
  async evaluate(config: Config, opts: EvaluateOptions = {}): Promise<TrialEvaluation> {
    const started = performance.now();
    const n = opts.validationSubset ?? this.experiment.fidelity.validationSubset;
    const built = await this.build(config, { noFineTune: opts.noFineTune ?? false });
    const memoKey = hashJson({ key: built.key, n: n ?? null, hw: this.experiment.targets.map((t) => this.space.templateValues(config, t)) });
    const hit = this.memo.get(memoKey);
    if (hit) return { ...structuredClone(hit), model: built.model, bytes: built.bytes };
    const validation = this.validation(n);
    const accuracy = await this.score(built.bytes, validation, 'validation');
    const packed = packModel(built.model);
    const metrics: Record<string, number> = {
      accuracy,
      onnxBytes: built.bytes.length,
      packedBytes: packed.packedBytes,
      params: analyzeCost(built.model, { strict: false }).params,
      validationSamples: validation.count,
      ...(await this.predict(built.model, built.bytes, config)),
    };
    if (this.measureHost) {
      const m = this.experiment.measure;
      const r = await measureLatency(built.bytes, { batch: 1, threads: m.threads, runs: m.runs, warmup: m.warmup, seed: this.experiment.seed });
      metrics.hostLatencyMs = r.medianMs;
    }
    metrics.evalSeconds = (performance.now() - started) / 1000;
    const result = {
      metrics,
      provenance: { ...this.stamp, validationSamples: validation.count, fineTuned: !opts.noFineTune && this.experiment.fidelity.fineTune !== false, pipelineKey: built.key, fromCache: built.cached, ...(this.measureHost ? { measureThreads: this.experiment.measure.threads } : {}) },
      artifact: built.key,
      steps: built.steps,
      notes: built.notes,
    };
    this.memo.set(memoKey, structuredClone(result));
    return { ...result, model: built.model, bytes: built.bytes };
  }

  /** The uncompressed model's metrics (template targets at their default point). */
  async evaluateBaseline(): Promise<Record<string, number>> {
    const { encodeModel } = await import('@edgefit/onnx');
    const bytes = encodeModel(this.base);
    const validation = this.validation(this.experiment.fidelity.validationSubset);
    const metrics: Record<string, number> = {
      accuracy: await this.score(bytes, validation, 'validation'),
      onnxBytes: bytes.length,
      packedBytes: packModel(this.base).packedBytes,
      params: analyzeCost(this.base, { strict: false }).params,
      ...(await this.predict(this.base, bytes, {})),
    };
    if (this.measureHost) {
      const m = this.experiment.measure;
      metrics.hostLatencyMs = (await measureLatency(bytes, { batch: 1, threads: m.threads, runs: m.runs, warmup: m.warmup, seed: this.experiment.seed })).medianMs;
    }
    const test = await this.testScore(bytes);
    return { ...metrics, ...test };
  }
}

/** Checks a target name is one of the experiment's (for callers that take names from users). */
export function findTarget(exp: Experiment, name: string): TargetSpec {
  const t = exp.targets.find((x) => x.name === name);
  if (!t) throw new UserInputError(`target '${name}' is not among the experiment's targets (${exp.targets.map((x) => x.name).join(', ')})`);
  return t;
}
