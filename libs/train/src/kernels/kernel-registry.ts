import * as tf from '@tensorflow/tfjs';
import type { TrainingKernel } from './kernel-types.js';
import { conv2DBackpropFilterKernel } from './Conv2DBackpropFilter.js';
import { depthwiseConv2dNativeBackpropFilterKernel } from './DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseConv2dNativeBackpropInputKernel } from './DepthwiseConv2dNativeBackpropInput.js';
import { maxPoolGradKernel } from './MaxPoolGrad.js';

const kernels = new Map<string, TrainingKernel>();

/** Add a kernel to edgefit's set; a second kernel under the same name is a bug, so it throws. */
export function defineTrainingKernel(kernel: TrainingKernel): void {
  if (kernels.has(kernel.kernelName)) throw new Error(`training kernel '${kernel.kernelName}' is defined twice`);
  kernels.set(kernel.kernelName, kernel);
}

[conv2DBackpropFilterKernel, depthwiseConv2dNativeBackpropFilterKernel, depthwiseConv2dNativeBackpropInputKernel, maxPoolGradKernel].forEach(
  defineTrainingKernel,
);

export function trainingKernelNames(): string[] {
  return [...kernels.keys()];
}

const installed = new Set<string>();

/**
 * Register edgefit's kernels for `backendName` wherever the backend has none
 * of its own (a native kernel, when a later backend version ships one, wins),
 * and in place of native kernels known to be wrong on that backend.
 * Returns the names registered now.
 */
export function registerTrainingKernels(backendName: string): string[] {
  const added: string[] = [];
  for (const k of kernels.values()) {
    const key = `${backendName}/${k.kernelName}`;
    if (installed.has(key)) continue;
    const native = tf.getKernel(k.kernelName, backendName);
    if (native && k.replacesNative?.backend !== backendName) continue;
    if (native) tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({ kernelName: k.kernelName, backendName, kernelFunc: k.kernelFunc });
    installed.add(key);
    added.push(k.kernelName);
  }
  return added;
}
