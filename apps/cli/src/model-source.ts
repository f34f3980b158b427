import { existsSync } from 'node:fs';
import { UserInputError } from '@edgefit/core';
import { encodeModel, getMetadata, loadModel, type onnx } from '@edgefit/onnx';
import { getZooModel, isZooModel, zooModelNames } from '@edgefit/train';

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
 */
export function resolveModel(spec: string, seed = 1): ModelSource {
  if (isZooModel(spec) && !existsSync(spec)) {
    const model = getZooModel(spec).build(seed);
    return { model, bytes: encodeModel(model), source: spec, zoo: spec };
  }
  if (!existsSync(spec)) {
    throw new UserInputError(`model '${spec}' is neither a file nor a zoo model (${zooModelNames().join(', ')})`);
  }
  const model = loadModel(spec);
  return { model, bytes: encodeModel(model), source: spec, zoo: getMetadata(model, 'edgefit.zoo') };
}
