import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/** The WASM backend's heap accessors (not part of the KernelBackend interface). */
export interface HeapBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

export function isHeapBackend(b: unknown): b is HeapBackend {
  return typeof (b as HeapBackend).makeOutput === 'function' && typeof (b as HeapBackend).typedArrayFromHeap === 'function';
}

export function assertFloat32(inputs: readonly TensorInfo[], kernelName: string): void {
  for (const t of inputs) if (t.dtype !== 'float32') throw new Error(`${kernelName} expects float32 inputs, got ${t.dtype}`);
}

/**
 * Runs a float32 kernel body over typed arrays. On the WASM backend the
 * inputs and the output are views into the WASM heap (no copies); the output
 * is allocated first because an allocation can grow the heap and detach
 * views taken before it. `compute` must write every output element.
 */
export function runFloatKernel(
  backend: KernelBackend,
  inputs: readonly TensorInfo[],
  outShape: number[],
  compute: (out: Float32Array, ins: Float32Array[]) => void,
): TensorInfo {
  if (isHeapBackend(backend)) {
    const out = backend.makeOutput(outShape, 'float32');
    compute(backend.typedArrayFromHeap(out), inputs.map((t) => backend.typedArrayFromHeap(t)));
    return out;
  }
  const ins = inputs.map((t) => backend.readSync(t.dataId) as Float32Array);
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  compute(out, ins);
  const dataId = backend.write(out, outShape, 'float32');
  return { dataId, shape: outShape, dtype: 'float32' };
}

/**
 * a·b with the backend's own BatchMatMul kernel, for kernels that reduce to a
 * GEMM (XNNPACK on WASM is several times faster than a JS loop). `a` and `b`
 * may be views with a different shape over the same data (a reshape).
 */
export function backendMatMul(backend: HeapBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const mm = tf.getKernel('BatchMatMul', tf.getBackend());
  if (!mm) throw new Error(`backend '${tf.getBackend()}' has no BatchMatMul kernel`);
  return mm.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
}

let scratchBuffer = new Float64Array(0);

/**
 * A zero-filled float64 accumulator reused across calls (sums are kept in
 * double precision, as the cpu reference kernels do, then rounded once).
 * Valid until the next call.
 */
function scratch(size: number): Float64Array {
  if (scratchBuffer.length < size) scratchBuffer = new Float64Array(size);
  const view = scratchBuffer.subarray(0, size);
  view.fill(0);
  return view;
}

/** Copy a float64 accumulator into a float32 output. */
function storeRounded(acc: Float64Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = acc[i]!;
}

/**
 * runFloatKernel for a body that sums into a zeroed float64 accumulator (the
 * gradient kernels): the sums are rounded to the float32 output once, at the end.
 */
export function runAccumulatingKernel(
  backend: KernelBackend,
  inputs: readonly TensorInfo[],
  outShape: number[],
  accumulate: (acc: Float64Array, ins: Float32Array[]) => void,
): TensorInfo {
  return runFloatKernel(backend, inputs, outShape, (out, ins) => {
    const acc = scratch(out.length);
    accumulate(acc, ins);
    storeRounded(acc, out);
  });
}
