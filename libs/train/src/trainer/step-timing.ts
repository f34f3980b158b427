import type { onnx } from '@edgefit/onnx';
import { initTrainingBackend, type TrainingBackendName } from '../backend.js';
import { OnnxExecutor } from '../executor/executor.js';
import { trainingEndpoints } from './endpoints.js';
import type { TrainTask } from './fit-types.js';
import { ScheduledAdam } from './scheduled-adam.js';
import { trainStep } from './train-step.js';

export interface StepTiming {
  backend: TrainingBackendName;
  batchSize: number;
  /** Best wall-clock time per optimizer step over the repetitions. */
  msPerStep: number;
  /** Process CPU time per step in that repetition (less sensitive to other load on a shared machine). */
  cpuMsPerStep: number;
}

/**
 * Time training steps of `model` on synthetic data (inputs 0.5, labels 0):
 * warm-up steps first, then `repeats` runs of `steps` steps; the best run
 * counts, since interference from other processes only ever adds time.
 */
export async function timeTrainingStep(
  model: onnx.IModelProto,
  opts: { task?: TrainTask; batchSize?: number; steps?: number; repeats?: number } = {},
): Promise<StepTiming> {
  const { task = 'classification', batchSize = 64, steps = 5, repeats = 3 } = opts;
  const backend = await initTrainingBackend();
  const exec = new OnnxExecutor(model, { seed: 1 });
  const opt = new ScheduledAdam(1e-3);
  try {
    const ends = trainingEndpoints(model, exec, task);
    const batch = { x: new Float32Array(batchSize * ends.sampleDims.reduce((a, b) => a * b, 1)).fill(0.5), y: new Int32Array(batchSize) };
    const step = () => trainStep(exec, opt, ends, { task, labelSmoothing: 0, decay: 0 }, batch);
    for (let i = 0; i < 2; i++) step();
    let best = { ms: Infinity, cpu: Infinity };
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < steps; i++) step();
      const ms = (performance.now() - t0) / steps;
      const c = process.cpuUsage(c0);
      if (ms < best.ms) best = { ms, cpu: (c.user + c.system) / 1000 / steps };
    }
    return { backend, batchSize, msPerStep: best.ms, cpuMsPerStep: best.cpu };
  } finally {
    opt.dispose();
    exec.dispose();
  }
}
