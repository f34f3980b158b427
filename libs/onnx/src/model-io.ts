import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { InvalidModelError, LimitExceededError, UserInputError } from '@edgefit/core';
import { onnx } from './proto.js';

/** Largest model file edgefit reads (bytes). Documented in the README. */
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;

/** Decode ONNX bytes; any failure becomes an InvalidModelError naming the source. */
export function decodeModel(bytes: Uint8Array, source = 'model'): onnx.ModelProto {
  if (bytes.byteLength === 0) throw new InvalidModelError(`${source}: empty file, not an ONNX model`);
  if (bytes.byteLength > MAX_MODEL_BYTES) {
    throw new LimitExceededError(`${source}: ${bytes.byteLength} bytes exceeds the model size limit of ${MAX_MODEL_BYTES} bytes`);
  }
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InvalidModelError(`${source}: not a readable ONNX model (truncated or not protobuf: ${why})`, { cause: err });
  }
  if (!model.graph || ((model.graph.node?.length ?? 0) === 0 && (model.graph.output?.length ?? 0) === 0)) {
    throw new InvalidModelError(`${source}: not an ONNX model (no graph found)`);
  }
  return model;
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

export function loadModel(path: string): onnx.ModelProto {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UserInputError(`${path}: not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof UserInputError) throw err;
    throw new UserInputError(`${path}: cannot read model file (${(err as NodeJS.ErrnoException).code ?? err})`, { cause: err });
  }
  if (size > MAX_MODEL_BYTES) {
    throw new LimitExceededError(`${path}: ${size} bytes exceeds the model size limit of ${MAX_MODEL_BYTES} bytes`);
  }
  return decodeModel(readFileSync(path), path);
}

export function saveModel(model: onnx.IModelProto, path: string): Uint8Array {
  const bytes = encodeModel(model);
  writeFileSync(path, bytes);
  return bytes;
}
