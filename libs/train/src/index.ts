export * from './zoo/zoo-model.js';
export * from './zoo/zoo-registry.js';
export { LayerBuilder } from './zoo/layer-builder.js';

export { initTrainingBackend, type TrainingBackendName, type TrainingBackendOptions } from './backend.js';
export { registerTrainingKernels, trainingKernelNames } from './kernels/kernel-registry.js';

export { OnnxExecutor } from './executor/executor.js';
export { createExecutor } from './executor/create-executor.js';
export type { ExecutorOptions, RunOptions, GraphInputInfo, TensorMap, WeightSnapshot } from './executor/executor-types.js';
export { classifyInitializers, type InitializerRoles } from './executor/trainable.js';
export { supportedOps } from './ops/op-registry.js';

export { fit } from './trainer/fit.js';
export { fineTune, FINE_TUNE_DEFAULTS } from './trainer/fine-tune.js';
export { FIT_DEFAULTS } from './trainer/fit-options.js';
export { scoreModel } from './trainer/score.js';
export { timeTrainingStep, type StepTiming } from './trainer/step-timing.js';
export { learningRateAt, type ScheduleSpec } from './trainer/schedule.js';
export { DISTILL_DEFAULTS } from './trainer/teacher.js';
export type { DistillOptions, FitData, FitOptions, FitProgress, FitResult, EpochRecord, TrainTask, LrSchedule } from './trainer/fit-types.js';
