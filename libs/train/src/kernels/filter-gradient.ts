import type { ConvGeometry } from './conv-geometry.js';

/**
 * dW[r, c, i, j] += Σ x[b, yR·s + r·d − pad, yC·s + c·d − pad, i] · dy[b, yR, yC, o(i, j)]
 * for NHWC x/dy and an HWIO-style filter accumulator. Loop order b, yR, yC,
 * r, c, i, j keeps the two innermost reads contiguous, and each filter
 * element still sums its terms in (b, yR, yC) order like the cpu reference.
 * `depthwise`: o(i, j) = i·m + j with m = outC / inC; else o(i, j) = j.
 *
 * Zero inputs are skipped: inputs after ReLU or of MNIST digits are mostly
 * zero, and adding 0·dy changes no sum (only a NaN/Inf in dy could notice).
 */
export function accumulateFilterGradient(x: Float32Array, dy: Float32Array, g: ConvGeometry, depthwise: boolean, acc: Float64Array): void {
  const { batch, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const perTap = depthwise ? outC : inC * outC;
  const m = depthwise ? outC / inC : outC;
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
            const tapOff = (r * fW + c) * perTap;
            if (depthwise && m === 1) {
              // Depthwise without multiplier: channel i meets only dy channel i.
              for (let i = 0; i < inC; i++) acc[tapOff + i]! += x[xOff + i]! * dy[dyOff + i]!;
              continue;
            }
            for (let i = 0; i < inC; i++) {
              const xv = x[xOff + i]!;
              if (xv === 0) continue;
              const a = tapOff + i * m;
              const o = depthwise ? dyOff + i * m : dyOff;
              for (let j = 0; j < m; j++) acc[a + j]! += xv * dy[o + j]!;
            }
          }
        }
      }
    }
  }
}
