import type { KernelBackend, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { TrainingKernel } from './kernel-types.js';
import { convGeometry, type ConvGeometryAttrs } from './conv-geometry.js';
import { accumulateFilterGradient } from './filter-gradient.js';
import { assertFloat32, runAccumulatingKernel } from './kernel-io.js';

/** dL/dW of a depthwise conv (NHWC, filter [fH, fW, inC, multiplier]); missing on tfjs WASM 4.22. */
export const depthwiseConv2dNativeBackpropFilterKernel: TrainingKernel = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as NamedTensorInfoMap & { x: TensorInfo; dy: TensorInfo };
    assertFloat32([x, dy], 'DepthwiseConv2dNativeBackpropFilter');
    const a = attrs as unknown as ConvGeometryAttrs & { filterShape: number[] };
    const g = convGeometry(x.shape, a.filterShape, a, true, 'DepthwiseConv2dNativeBackpropFilter');
    return runAccumulatingKernel(backend as KernelBackend, [x, dy], a.filterShape, (acc, [xv, dyv]) => accumulateFilterGradient(xv!, dyv!, g, true, acc));
  },
};
