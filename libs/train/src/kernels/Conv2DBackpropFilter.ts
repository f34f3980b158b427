import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { TrainingKernel } from './kernel-types.js';
import { convGeometry, type ConvGeometry, type ConvGeometryAttrs } from './conv-geometry.js';
import { accumulateFilterGradient } from './filter-gradient.js';
import { assertFloat32, backendMatMul, isHeapBackend, runAccumulatingKernel, type HeapBackend } from './kernel-io.js';
import { fillPatchesTransposed } from './patches.js';

/** dW = patchesᵀ · dy as one GEMM on the backend's BatchMatMul (fast path on WASM). */
function viaGemm(backend: HeapBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry, filterShape: number[]): TensorInfo {
  const pixels = g.batch * g.outH * g.outW;
  const taps = g.fH * g.fW * g.inC;
  const patches = backend.makeOutput([taps, pixels], 'float32');
  fillPatchesTransposed(backend.typedArrayFromHeap(x), g, backend.typedArrayFromHeap(patches));
  const dW = backendMatMul(backend, patches, { ...dy, shape: [pixels, g.outC] });
  backend.disposeData(patches.dataId);
  return { ...dW, shape: filterShape };
}

/** dL/dW of a standard conv2d (NHWC x and dy, filter [fH, fW, inC, outC]); missing on tfjs WASM 4.22. */
export const conv2DBackpropFilterKernel: TrainingKernel = {
  kernelName: 'Conv2DBackpropFilter',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as NamedTensorInfoMap & { x: TensorInfo; dy: TensorInfo };
    assertFloat32([x, dy], 'Conv2DBackpropFilter');
    const a = attrs as unknown as ConvGeometryAttrs & { filterShape: number[] };
    const g = convGeometry(x.shape, a.filterShape, { ...a, dilations: 1 }, false, 'Conv2DBackpropFilter');
    if (isHeapBackend(backend) && tf.getKernel('BatchMatMul', tf.getBackend())) return viaGemm(backend, x, dy, g, a.filterShape);
    return runAccumulatingKernel(backend as KernelBackend, [x, dy], a.filterShape, (acc, [xv, dyv]) => accumulateFilterGradient(xv!, dyv!, g, false, acc));
  },
};
