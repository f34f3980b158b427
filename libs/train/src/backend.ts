import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { registerTrainingKernels } from './kernels/kernel-registry.js';

export type TrainingBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TrainingBackendOptions {
  /**
   * Force a backend. Default: tfjs-node ('tensorflow') when it can be imported,
   * else 'wasm'. 'cpu' is the pure-JS reference (slow; for tests).
   */
  prefer?: TrainingBackendName;
}

const require = createRequire(import.meta.url);
let wasmPathsSet = false;
/** The backend the last successful call settled on. */
let chosen: TrainingBackendName | undefined;

/** tfjs-node registers the 'tensorflow' backend when imported; it is optional (native build). */
async function tryTfjsNode(): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers and tsc from resolving a package that is not a dependency.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return tf.findBackend('tensorflow') !== null;
  } catch {
    return false;
  }
}

function pointWasmAtNodeModules(): void {
  if (wasmPathsSet) return;
  // In Node the emscripten loader reads the .wasm with fs.readFileSync, so a
  // directory path (with trailing slash) is what it needs, not a URL.
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  wasmPathsSet = true;
}

async function activate(name: TrainingBackendName): Promise<TrainingBackendName> {
  if (name === 'wasm') pointWasmAtNodeModules();
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to initialize`);
  await tf.ready();
  registerTrainingKernels(name);
  return name;
}

async function choose(prefer: TrainingBackendName | undefined): Promise<TrainingBackendName> {
  if (prefer === 'tensorflow' || prefer === undefined) {
    if (await tryTfjsNode()) return activate('tensorflow');
    if (prefer === 'tensorflow') throw new Error('@tensorflow/tfjs-node is not installed; use the wasm backend');
  }
  return activate(prefer ?? 'wasm');
}

/**
 * Selects and initializes the tfjs backend used for training, and registers
 * the gradient kernels edgefit supplies for it. Idempotent: later calls
 * without `prefer` keep (or restore, if something switched away) the backend
 * chosen first; with `prefer` they switch (tests compare backends this way).
 */
export async function initTrainingBackend(opts: TrainingBackendOptions = {}): Promise<TrainingBackendName> {
  const wanted = opts.prefer ?? chosen;
  if (wanted && wanted === chosen && tf.getBackend() === wanted) return wanted;
  chosen = await choose(wanted);
  return chosen;
}
