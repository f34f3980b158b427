import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { InvalidModelError } from '@edgefit/core';
import { decodeModel, ortSessionOptions, type onnx } from '@edgefit/onnx';
import { shortMessage } from './ort-session.js';

/**
 * The graph onnxruntime executes for a model on this machine: the session's
 * fully optimized graph (NCHWc convolutions with the block size of this CPU,
 * fused kernels, NHWC quantized kernels), as onnxruntime writes it with the
 * session option `optimizedModelFilePath`. It holds this CPU's layout and is
 * only good for planning on this machine (libs/hardware planExecutedGraph).
 */
export async function executedGraph(bytes: Uint8Array, threads = 1, source = 'model'): Promise<onnx.ModelProto> {
  const dir = mkdtempSync(join(tmpdir(), 'edgefit-executed-'));
  const file = join(dir, 'executed.onnx');
  try {
    const session = await InferenceSession.create(bytes, { ...ortSessionOptions(threads), optimizedModelFilePath: file });
    await session.release();
    return decodeModel(readFileSync(file), `${source} (as onnxruntime executes it)`);
  } catch (err) {
    if (err instanceof InvalidModelError) throw err;
    throw new InvalidModelError(`${source}: onnxruntime cannot load the model: ${shortMessage(err)}`, { cause: err });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
