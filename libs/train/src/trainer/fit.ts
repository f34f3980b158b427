import { SeededRng, UserInputError } from '@edgefit/core';
import type { onnx } from '@edgefit/onnx';
import { initTrainingBackend } from '../backend.js';
import { OnnxExecutor } from '../executor/executor.js';
import type { WeightSnapshot } from '../executor/executor-types.js';
import { checkTargets } from './check-targets.js';
import { trainingEndpoints } from './endpoints.js';
import { EpochBatches } from './epoch-batches.js';
import { validationMetric } from './evaluate.js';
import { resolveFitOptions } from './fit-options.js';
import type { EpochRecord, FitData, FitOptions, FitResult } from './fit-types.js';
import { prepareData } from './prepare-data.js';
import { learningRateAt } from './schedule.js';
import { ScheduledAdam } from './scheduled-adam.js';
import { Teacher } from './teacher.js';
import { trainStep } from './train-step.js';
import { WeightMasks } from './weight-masks.js';

const now = () => performance.now() / 1000;

/**
 * Train an ONNX model's weights in place of its graph: Adam with linear
 * warm-up and cosine decay, optional shift augmentation, label smoothing,
 * decoupled weight decay, masks, distillation from a teacher and early
 * stopping on the validation metric.
 * Returns the model with the best validation epoch's weights written back.
 */
export async function fit(model: onnx.IModelProto, data: FitData, options: FitOptions = {}): Promise<FitResult> {
  const o = resolveFitOptions(options);
  await initTrainingBackend();
  const started = now();
  const rng = new SeededRng(o.seed);
  const exec = new OnnxExecutor(model, { seed: rng.fork('executor').int(0, 0x7fffffff), freeze: o.freeze });
  const opt = new ScheduledAdam(o.learningRate);
  let masks: WeightMasks | undefined;
  let teacher: Teacher | undefined;
  try {
    const ends = trainingEndpoints(model, exec, o.task);
    const { train, validation } = prepareData(data, o, ends.sampleDims.reduce((a, b) => a * b, 1));
    checkTargets(exec, ends, o.task, [train, validation]);
    masks = new WeightMasks(exec, o.mask);
    if (o.distill) teacher = new Teacher(o.distill, exec, ends);
    const batches = new EpochBatches(train, o.batchSize, ends.sampleDims, o.shiftPixels, rng.fork('order'), rng.fork('augment'));
    const steps = batches.steps;
    const totalSteps = Math.min(o.epochs * steps, o.maxSteps ?? Infinity);
    const schedule = { kind: o.schedule, peak: o.learningRate, totalSteps, warmupSteps: Math.round(o.warmupEpochs * steps), finalFraction: o.finalLrFraction };
    const history: EpochRecord[] = [];
    let best: { epoch: number; metric: number; weights: WeightSnapshot } | undefined;
    let done = 0;
    let stoppedEarly = false;
    for (let epoch = 1; epoch <= o.epochs && done < totalSteps; epoch++) {
      const epochStart = now();
      let lossSum = 0;
      let lr = 0;
      let step = 0;
      for (const batch of batches.epoch()) {
        if (done >= totalSteps) break;
        lr = learningRateAt(done, schedule);
        opt.setLearningRate(lr);
        const loss = trainStep(exec, opt, ends, { task: o.task, labelSmoothing: o.labelSmoothing, decay: lr * o.weightDecay, teacher }, batch);
        if (!Number.isFinite(loss)) {
          throw new UserInputError(`training diverged at epoch ${epoch}, step ${step + 1} (loss ${loss}); lower the learning rate (${o.learningRate})`, { code: 'TRAINING_DIVERGED' });
        }
        masks.apply();
        lossSum += loss;
        done++;
        step++;
        const eta = ((now() - started) / done) * (totalSteps - done);
        o.onProgress?.({ epoch, epochs: o.epochs, step, steps, loss, etaSeconds: eta });
      }
      const metric = validationMetric(exec, validation, ends, o.task, o.evalBatchSize);
      history.push({ epoch, trainLoss: lossSum / step, valMetric: metric, lr, seconds: now() - epochStart });
      o.onProgress?.({ epoch, epochs: o.epochs, step, steps, loss: lossSum / step, valMetric: metric, etaSeconds: ((now() - started) / done) * (totalSteps - done) });
      if (!best || metric > best.metric) best = { epoch, metric, weights: exec.snapshot() };
      if (o.patience !== undefined && epoch - best.epoch >= o.patience && epoch < o.epochs) {
        stoppedEarly = true;
        break;
      }
      // Let the event loop breathe between epochs (signals, progress output).
      await new Promise((resolve) => setImmediate(resolve));
    }
    return {
      model: exec.writeBack(best!.weights),
      history,
      bestEpoch: best!.epoch,
      bestValMetric: best!.metric,
      epochs: history.length,
      steps: done,
      seconds: now() - started,
      stoppedEarly,
    };
  } finally {
    masks?.dispose();
    teacher?.dispose();
    opt.dispose();
    exec.dispose();
  }
}
