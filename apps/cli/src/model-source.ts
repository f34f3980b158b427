import { existsSync } from 'node:fs';
import { UserInputError } from '@edgefit/core';
import { encodeModel, getMetadata, loadModel, type onnx } from '@edgefit/onnx';

export interface ModelSource {
  model: onnx.ModelProto;
  bytes: Uint8Array;
  /** The zoo name or the file path the model came from. */
  source: string;
  zoo?: string;
}

/**
 * A model argument is a path to an ONNX file or the name of a zoo model (an
 * untrained, seeded graph — useful for inspect and for training from scratch).
 * A file wins over a zoo name. libs/train (tfjs) is imported only for zoo
 * names: it costs seconds of start-up that inspect/eval/bench of a file skip.
 */
export async function resolveModel(spec: string, seed = 1): Promise<ModelSource> {
  if (existsSync(spec)) {
    const model = loadModel(spec);
    return { model, bytes: encodeModel(model), source: spec, zoo: getMetadata(model, 'edgefit.zoo') };
  }
  const { getZooModel, isZooModel, zooModelNames } = await import('@edgefit/train');
  if (!isZooModel(spec)) {
    throw new UserInputError(`model '${spec}' is neither a file nor a zoo model (${zooModelNames().join(', ')})`);
  }
  const model = getZooModel(spec).build(seed);
  return { model, bytes: encodeModel(model), source: spec, zoo: spec };
}
