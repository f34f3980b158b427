import type { KernelBackend, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { TrainingKernel } from './kernel-types.js';
import { convGeometry, type ConvGeometry, type ConvGeometryAttrs } from './conv-geometry.js';
import { assertFloat32, runAccumulatingKernel } from './kernel-io.js';

/**
 * dx[b, xR, xC, i] = Σ dy[b, yR, yC, i·m + j] · w[r, c, i, j] over the taps that
 * read (xR, xC). Scattered from each output position so the innermost loops
 * stay contiguous; sums are kept in float64 like the cpu reference.
 */
function scatterInputGradient(dy: Float32Array, w: Float32Array, g: ConvGeometry, acc: Float64Array): void {
  const { batch, inH, inW, inC, outH, outW, outC, fW, fH, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const m = outC / inC;
  for (let b = 0; b < batch; b++) {
    for (let yR = 0; yR < outH; yR++) {
      for (let yC = 0; yC < outW; yC++) {
        const dyOff = ((b * outH + yR) * outW + yC) * outC;
        for (let r = 0; r < fH; r++) {
          const xR = yR * strideH + r * dilationH - padTop;
          if (xR < 0 || xR >= inH) continue;
          for (let c = 0; c < fW; c++) {
            const xC = yC * strideW + c * dilationW - padLeft;
            if (xC < 0 || xC >= inW) continue;
            const xOff = ((b * inH + xR) * inW + xC) * inC;
            const wOff = (r * fW + c) * outC;
            if (m === 1) {
              for (let i = 0; i < inC; i++) acc[xOff + i]! += dy[dyOff + i]! * w[wOff + i]!;
            } else {
              for (let i = 0; i < inC; i++) {
                let s = 0;
                for (let j = 0; j < m; j++) s += dy[dyOff + i * m + j]! * w[wOff + i * m + j]!;
                acc[xOff + i]! += s;
              }
            }
          }
        }
      }
    }
  }
}

/** dL/dx of a depthwise conv (NHWC); missing on tfjs WASM 4.22. */
export const depthwiseConv2dNativeBackpropInputKernel: TrainingKernel = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as NamedTensorInfoMap & { dy: TensorInfo; filter: TensorInfo };
    assertFloat32([dy, filter], 'DepthwiseConv2dNativeBackpropInput');
    const a = attrs as unknown as ConvGeometryAttrs & { inputShape: number[] };
    const g = convGeometry(a.inputShape, filter.shape, a, true, 'DepthwiseConv2dNativeBackpropInput');
    return runAccumulatingKernel(backend as KernelBackend, [dy, filter], a.inputShape, (acc, [dyv, wv]) => scatterInputGradient(dyv!, wv!, g, acc));
  },
};
