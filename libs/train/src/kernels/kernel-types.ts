import type { KernelConfig } from '@tensorflow/tfjs';

/**
 * A gradient kernel edgefit supplies for backends that lack it, written once
 * against typed arrays so it can be registered for any backend by name.
 */
export interface TrainingKernel {
  /** tfjs kernel name, e.g. 'Conv2DBackpropFilter'. */
  readonly kernelName: string;
  readonly kernelFunc: KernelConfig['kernelFunc'];
  /** Set when a backend's own kernel of this name is wrong and this one must take its place there. */
  readonly replacesNative?: { backend: string; reason: string };
}
