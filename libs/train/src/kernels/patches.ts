import type { ConvGeometry } from './conv-geometry.js';

/**
 * im2col, transposed: row k = (r·fW + c)·inC + i of `out` ([fH·fW·inC, N·outH·outW])
 * holds, for every output pixel p, the input value tap (r, c) of channel i
 * reads there (0 in the padding). Rows follow the HWIO filter order, columns
 * NHWC pixel order, so dW = patchesᵀ·dy is one plain GEMM with dy as [P, outC].
 */
export function fillPatchesTransposed(x: Float32Array, g: ConvGeometry, out: Float32Array): void {
  const { batch, inH, inW, inC, outH, outW, fH, fW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const pixels = batch * outH * outW;
  for (let r = 0; r < fH; r++) {
    for (let c = 0; c < fW; c++) {
      for (let i = 0; i < inC; i++) {
        const row = ((r * fW + c) * inC + i) * pixels;
        let p = row;
        for (let b = 0; b < batch; b++) {
          for (let yR = 0; yR < outH; yR++) {
            const xR = yR * strideH + r * dilationH - padTop;
            if (xR < 0 || xR >= inH) {
              out.fill(0, p, p + outW);
              p += outW;
              continue;
            }
            const base = (b * inH + xR) * inW;
            for (let yC = 0; yC < outW; yC++, p++) {
              const xC = yC * strideW + c * dilationW - padLeft;
              out[p] = xC >= 0 && xC < inW ? x[(base + xC) * inC + i]! : 0;
            }
          }
        }
      }
    }
  }
}
