import { backend_util, type KernelBackend, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { TrainingKernel } from './kernel-types.js';
import { assertFloat32, runFloatKernel } from './kernel-io.js';

interface PoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * dL/dx of max pooling (NHWC): each window's dy goes to the first maximum in
 * row-major window order, padded cells never win — the cpu backend's rule.
 * Replaces tfjs-backend-wasm 4.22's MaxPoolGrad, which drops the gradient of
 * padded windows whose maximum is negative.
 */
export const maxPoolGradKernel: TrainingKernel = {
  kernelName: 'MaxPoolGrad',
  replacesNative: {
    backend: 'wasm',
    reason: 'tfjs-backend-wasm 4.22 MaxPoolGrad loses the gradient of padded windows whose maximum is negative',
  },
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as NamedTensorInfoMap & { dy: TensorInfo; input: TensorInfo };
    assertFloat32([dy, input], 'MaxPoolGrad');
    const a = attrs as unknown as PoolGradAttrs;
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
    return runFloatKernel(backend as KernelBackend, [input, dy], input.shape, (dx, [x, g]) => {
      dx.fill(0);
      const best = new Float32Array(C);
      const at = new Int32Array(C);
      for (let b = 0; b < batchSize; b++) {
        for (let yR = 0; yR < outHeight; yR++) {
          const r0 = yR * strideHeight - padInfo.top;
          for (let yC = 0; yC < outWidth; yC++) {
            const c0 = yC * strideWidth - padInfo.left;
            best.fill(-Infinity);
            at.fill(-1);
            for (let xR = Math.max(0, r0); xR < Math.min(inHeight, r0 + filterHeight); xR++) {
              for (let xC = Math.max(0, c0); xC < Math.min(inWidth, c0 + filterWidth); xC++) {
                const off = ((b * inHeight + xR) * inWidth + xC) * C;
                for (let d = 0; d < C; d++) {
                  const v = x![off + d]!;
                  if (v > best[d]!) {
                    best[d] = v;
                    at[d] = off + d;
                  }
                }
              }
            }
            const dyOff = ((b * outHeight + yR) * outWidth + yC) * C;
            for (let d = 0; d < C; d++) if (at[d]! >= 0) dx[at[d]!]! += g![dyOff + d]!;
          }
        }
      }
    });
  },
};
