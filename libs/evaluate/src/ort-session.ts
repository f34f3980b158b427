import { createRequire } from 'node:module';
import { InferenceSession } from 'onnxruntime-node';
import { InvalidModelError, errorLine } from '@edgefit/core';
import { decodeModel, ortSessionOptions, validateModel } from '@edgefit/onnx';

export interface OrtSessionOptions {
  /** Threads inside an operator (default 1: measurements must be reproducible). */
  threads?: number;
  /** Batch size the model will run at, for validateModel's activation-size caps (default 1). */
  batch?: number;
}

const MAX_MESSAGE = 300;

/** First line of an error, cut to a readable length. */
export function shortMessage(err: unknown): string {
  const line = errorLine(err).trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

/**
 * An onnxruntime CPU session for model bytes. The model is decoded and
 * checked by `validateModel` before onnxruntime sees it; a load failure in
 * onnxruntime becomes an InvalidModelError with a one-line message.
 */
export async function createSession(bytes: Uint8Array, opts: OrtSessionOptions = {}, source = 'model'): Promise<InferenceSession> {
  validateModel(decodeModel(bytes, source), {}, { batch: opts.batch ?? 1 });
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`createSession: threads must be a positive integer, got ${threads}`);
  try {
    return await InferenceSession.create(bytes, ortSessionOptions(threads));
  } catch (err) {
    throw new InvalidModelError(`${source}: onnxruntime cannot load the model: ${shortMessage(err)}`, { cause: err });
  }
}

/** session.run with an onnxruntime failure turned into a one-line InvalidModelError. */
export async function runSession(session: InferenceSession, feeds: InferenceSession.FeedsType, source = 'model'): Promise<InferenceSession.ReturnType> {
  try {
    return await session.run(feeds);
  } catch (err) {
    throw new InvalidModelError(`${source}: onnxruntime failed to run the model: ${shortMessage(err)}`, { cause: err });
  }
}

/** Version of the installed onnxruntime-node package. */
export function ortVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('onnxruntime-node/package.json') as { version: string }).version;
}
