import type { onnx } from '@edgefit/onnx';
import { initTrainingBackend } from '../backend.js';
import type { ExecutorOptions } from './executor-types.js';
import { OnnxExecutor } from './executor.js';

/** Initialize the training backend (once) and build an executor for `model`. */
export async function createExecutor(model: onnx.IModelProto, opts: ExecutorOptions = {}): Promise<OnnxExecutor> {
  await initTrainingBackend();
  return new OnnxExecutor(model, opts);
}
