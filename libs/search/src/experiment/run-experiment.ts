import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError, hashJson } from '@edgefit/core';
import type { Dataset } from '@edgefit/data';
import type { PassRegistry } from '@edgefit/compress';
import { createSampler } from '../samplers/registry.js';
import { Study, type TellInput } from '../study/study.js';
import { InMemoryStudyStorage, type StudyStorage } from '../study/storage.js';
import { successiveHalving } from '../study/multi-fidelity.js';
import type { TrialRecord } from '../study/trial.js';
import type { Config } from '../space/params.js';
import { toMinimization, violation } from '../pareto/dominance.js';
import { defaultReferencePoint, hypervolume } from '../pareto/hypervolume.js';
import { TrialEvaluator } from '../evaluation/trial-evaluator.js';
import type { Experiment } from './experiment-spec.js';
import { renderReport } from './html-report.js';

export interface SearchProgress {
  finished: number;
  total: number | undefined;
  completed: number;
  failed: number;
  /** Best value of each objective so far (feasible trials), by objective name. */
  best: Record<string, number>;
  hypervolume: number;
  elapsedMs: number;
  etaMs: number | undefined;
  last?: TrialRecord;
}

export interface RunExperimentOptions {
  storage?: StudyStorage;
  /** Overrides of the experiment file. */
  trials?: number;
  wallTimeMs?: number;
  sampler?: string;
  seed?: number;
  /** Where the front models and report.html go (none: no files). */
  outDir?: string;
  /** Continue the stored study of this experiment (same file, sampler and seed) instead of starting a new one. */
  resume?: boolean;
  /** Study id to create or resume (default: from the experiment's name and hash). */
  studyId?: string;
  cacheDir?: string | null;
  /** Re-evaluate the front on the test split and save the models (default true). */
  finalize?: boolean;
  dataset?: Dataset;
  registry?: PassRegistry;
  /** Reuse an evaluator (and its in-process results) across runs of the same experiment, e.g. in benchmarks. */
  evaluator?: TrialEvaluator;
  log?: (message: string) => void;
  onProgress?: (p: SearchProgress) => void;
}

export interface FrontEntry {
  trial: number;
  config: Config;
  /** Validation figures of the search, plus `testAccuracy` / `testSamples` from the final re-evaluation. */
  metrics: Record<string, number>;
  /** Path of the saved ONNX model (or the pipeline key when no out dir was given). */
  artifact: string;
  artifactKey: string;
  passes: string[];
  /** No worse than the uncompressed model on every minimized objective, better on one, and within 1 point of its accuracy (0.01) on maximized ones. */
  beatsBaseline?: boolean;
}

/** Whether metrics beat the uncompressed model (see FrontEntry.beatsBaseline). */
export function beatsBaseline(exp: Experiment, metrics: Record<string, number>, baseline: Record<string, number>, tolerance = 0.01): boolean {
  let better = false;
  for (const o of exp.objectives) {
    const v = metrics[o.name];
    const b = baseline[o.name];
    if (v === undefined || b === undefined) return false;
    if (o.direction === 'maximize') {
      if (v < b - tolerance) return false;
    } else {
      if (v > b) return false;
      if (v < b) better = true;
    }
  }
  return better;
}

export interface SearchResult {
  study: { id: string; name: string; sampler: string; seed: number; resumed: boolean; objectives: { name: string; direction: string }[]; constraints: { metric: string; op: string; bound: number }[] };
  trials: number;
  completed: number;
  failed: number;
  pruned: number;
  hypervolume: number;
  /** Reference point of the hypervolume, in the objectives' own directions. */
  reference: number[];
  hypervolumeHistory: number[];
  front: FrontEntry[];
  knee: FrontEntry | null;
  baseline: Record<string, number> | null;
  report: string | null;
  outDir: string | null;
  seconds: number;
  trialRecords: TrialRecord[];
}

/** The study id of an experiment run: the same file, sampler and seed → the same id (so `resume` finds it). */
export function studyIdFor(exp: Experiment, sampler: string, seed: number): string {
  return `${exp.name}-${hashJson({ exp: exp.hash, sampler, seed }).slice(0, 10)}`;
}

/** Hypervolume reference: the file's, else from the uncompressed model (minimized objectives ×1.1, maximized at 0), else from the points. */
export function referencePoint(exp: Experiment, baseline: Record<string, number> | null, points: number[][]): number[] {
  const fallback = points.length ? defaultReferencePoint(points.map((p) => toMinimization(p, exp.objectives.map((o) => o.direction)))) : undefined;
  return exp.objectives.map((o, i) => {
    const given = exp.reference?.[o.name];
    if (given !== undefined) return given;
    if (o.direction === 'maximize') return 0;
    const b = baseline?.[o.name];
    if (b !== undefined && b > 0) return b * 1.1;
    return fallback ? fallback[i]! : 1;
  });
}

/** Feasible trials' hypervolume after each finished trial (a fixed reference, so the curve is comparable). */
export function hypervolumeHistory(exp: Experiment, trials: readonly TrialRecord[], ref: readonly number[]): number[] {
  const dirs = exp.objectives.map((o) => o.direction);
  const r = toMinimization(ref, dirs);
  const pts: number[][] = [];
  const out: number[] = [];
  let hv = 0;
  for (const t of trials) {
    if (t.state === 'COMPLETE' && t.values && t.cachedFrom === undefined && violation(t.constraints) <= 0) {
      pts.push(toMinimization(t.values, dirs));
      hv = hypervolume(pts, r);
    }
    out.push(hv);
  }
  return out;
}

/**
 * Run an experiment: build the study (or resume it), evaluate trials until
 * the budget is spent (or by successive halving over validation-subset sizes
 * when the experiment asks for it), then re-evaluate the constrained front
 * on the held-out test split, save each front model as ONNX, pick the knee
 * and write the HTML report.
 */
export async function runExperiment(exp: Experiment, opts: RunExperimentOptions = {}): Promise<SearchResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const samplerName = opts.sampler ?? exp.sampler;
  const seed = opts.seed ?? exp.seed;
  const e: Experiment = seed === exp.seed ? exp : { ...exp, seed };
  const trialsBudget = opts.trials ?? e.budget.trials;
  const wallTimeMs = opts.wallTimeMs ?? e.budget.wallTimeMs;
  if (trialsBudget === undefined && wallTimeMs === undefined) throw new UserInputError('search: a budget needs trials or a wall time');
  const storage = opts.storage ?? new InMemoryStudyStorage();
  const evaluator = opts.evaluator ?? new TrialEvaluator(e, { ...(opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {}), ...(opts.registry ? { registry: opts.registry } : {}), ...(opts.dataset ? { dataset: opts.dataset } : {}), log: () => {} });

  const baseId = opts.studyId ?? studyIdFor(e, samplerName, seed);
  let study: Study;
  let resumed = false;
  if (opts.resume && storage.loadStudy(baseId)) {
    study = Study.resume(storage, baseId);
    resumed = true;
    log(`resuming study ${baseId}: ${study.trials.length} trial(s) so far`);
  } else {
    if (opts.resume) log(`no stored study ${baseId} to resume; starting it`);
    const id = storage.loadStudy(baseId) ? `${baseId}-${Date.now().toString(36)}` : baseId;
    study = Study.create({
      id,
      name: e.name,
      space: evaluator.space.params,
      objectives: e.objectives,
      constraints: e.constraints,
      sampler: createSampler(samplerName, seed, e.samplerOptions),
      storage,
      attrs: { experiment: e.input, file: e.file, experimentHash: e.hash, model: e.modelPath, seed },
    });
  }

  let baseline: Record<string, number> | null = null;
  if (e.baseline) {
    log('evaluating the uncompressed model');
    baseline = await evaluator.evaluateBaseline();
  }

  const counts = () => {
    let completed = 0;
    let failed = 0;
    let pruned = 0;
    for (const t of study.trials) {
      if (t.state === 'COMPLETE') completed++;
      else if (t.state === 'FAIL') failed++;
      else if (t.state === 'PRUNED') pruned++;
    }
    return { completed, failed, pruned, finished: completed + failed + pruned };
  };
  const refFor = () => referencePoint(e, baseline, study.completed().map((t) => t.values!));
  const progress = (last?: TrialRecord) => {
    if (!opts.onProgress) return;
    const c = counts();
    const best: Record<string, number> = {};
    const feasible = study.completed().filter((t) => violation(t.constraints) <= 0);
    e.objectives.forEach((o, i) => {
      const vals = feasible.map((t) => t.values![i]!);
      if (vals.length) best[o.name] = o.direction === 'maximize' ? Math.max(...vals) : Math.min(...vals);
    });
    const elapsedMs = Date.now() - started;
    const done = Math.max(c.finished - startFinished, 0);
    const etaTrials = trialsBudget !== undefined && done > 0 ? ((trialsBudget - c.finished) * elapsedMs) / done : undefined;
    const etaWall = wallTimeMs !== undefined ? Math.max(wallTimeMs - elapsedMs, 0) : undefined;
    const eta = etaTrials === undefined ? etaWall : etaWall === undefined ? etaTrials : Math.min(etaTrials, etaWall);
    opts.onProgress({ ...c, total: trialsBudget, best, hypervolume: study.hypervolume(refFor()), elapsedMs, etaMs: eta, ...(last ? { last } : {}) });
  };
  const startFinished = counts().finished;
  const loopStart = Date.now();
  const budgetLeft = () => (trialsBudget === undefined || counts().finished < trialsBudget) && (wallTimeMs === undefined || Date.now() - loopStart < wallTimeMs);
  const toTell = (ev: Awaited<ReturnType<TrialEvaluator['evaluate']>>, fidelity?: number): TellInput => ({
    metrics: ev.metrics,
    artifact: ev.artifact,
    provenance: { ...ev.provenance, sampler: samplerName },
    ...(fidelity !== undefined ? { fidelity } : {}),
  });
  progress();

  const halving = e.fidelity.halving;
  if (!halving) {
    while (budgetLeft()) {
      const trial = study.ask();
      if (!trial.finished) {
        try {
          const ev = await evaluator.evaluate(trial.config);
          study.tell(trial, toTell(ev));
        } catch (err) {
          study.fail(trial, err instanceof Error ? err.message.split('\n')[0]! : String(err));
        }
      }
      progress(study.trials[trial.number]);
    }
  } else {
    const R = halving.validationSubsets.length;
    while (budgetLeft()) {
      const remaining = trialsBudget === undefined ? Infinity : trialsBudget - counts().finished;
      const n = Math.max(1, Math.min(Math.pow(halving.eta, R - 1), remaining));
      await successiveHalving(
        study,
        async (config, fidelity) => {
          const rung = halving.validationSubsets.indexOf(fidelity);
          const ev = await evaluator.evaluate(config, { validationSubset: fidelity, noFineTune: rung < halving.fineTuneFrom });
          return toTell(ev, fidelity);
        },
        { fidelities: halving.validationSubsets, eta: halving.eta, n },
      );
      progress(study.trials[study.trials.length - 1]);
    }
  }

  // The final front: test split, artifacts, knee.
  const front = study.front();
  const reference = refFor();
  const kneeRec = study.knee();
  const entries: FrontEntry[] = [];
  const outDir = opts.outDir ?? null;
  if (outDir) {
    mkdirSync(join(outDir, 'front'), { recursive: true });
    // models of an earlier study written to the same folder would pass for this front's
    for (const f of readdirSync(join(outDir, 'front'))) if (/^trial-\d+\.onnx$/.test(f)) rmSync(join(outDir, 'front', f));
  }
  for (const t of front) {
    const entry: FrontEntry = { trial: t.number, config: t.config, metrics: { ...t.metrics }, artifact: t.artifact ?? '', artifactKey: t.artifact ?? '', passes: [] };
    if (opts.finalize ?? true) {
      const built = await evaluator.build(t.config);
      entry.passes = built.steps.map((s) => s.pass);
      Object.assign(entry.metrics, await evaluator.testScore(built.bytes));
      if (outDir) {
        const path = join(outDir, 'front', `trial-${t.number}.onnx`);
        writeFileSync(path, built.bytes);
        entry.artifact = path;
      }
    }
    if (baseline) entry.beatsBaseline = beatsBaseline(e, entry.metrics, baseline);
    entries.push(entry);
  }
  entries.sort((a, b) => a.trial - b.trial);
  const knee = kneeRec ? (entries.find((x) => x.trial === kneeRec.number) ?? null) : null;
  const c = counts();
  const result: SearchResult = {
    study: { id: study.id, name: e.name, sampler: samplerName, seed, resumed, objectives: e.objectives.map((o) => ({ ...o })), constraints: e.constraints.map((x) => ({ ...x })) },
    trials: study.trials.length,
    completed: c.completed,
    failed: c.failed,
    pruned: c.pruned,
    hypervolume: study.hypervolume(reference),
    reference,
    hypervolumeHistory: hypervolumeHistory(e, study.trials, reference),
    front: entries,
    knee,
    baseline,
    report: null,
    outDir,
    seconds: (Date.now() - started) / 1000,
    trialRecords: study.trials.map((t) => t),
  };
  if (outDir) {
    const path = join(outDir, 'report.html');
    writeFileSync(path, await renderReport(e, result));
    result.report = path;
  }
  return result;
}
