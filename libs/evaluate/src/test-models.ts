import { ModelBuilder, encodeModel, floatTensor, type Dim } from '@edgefit/onnx';

/**
 * A classifier whose score for class j is the value of pixel `pixels[j]`
 * (Gemm with a 0/1 weight matrix), on an input of the given dims.
 */
export function pixelPickerModel(pixels: readonly number[], inputDims: readonly Dim[], sampleSize: number): Uint8Array {
  const b = new ModelBuilder('pixel-picker');
  const x = b.input('x', inputDims);
  const w = new Float32Array(sampleSize * pixels.length);
  pixels.forEach((p, j) => (w[p * pixels.length + j] = 1));
  b.initializer(floatTensor('w', [sampleSize, pixels.length], w));
  b.initializer(floatTensor('b', [pixels.length], new Float32Array(pixels.length)));
  const flat = inputDims.length > 2 ? b.node('Flatten', [x], ['flat'], { axis: 1 })[0]! : x;
  b.node('Gemm', [flat, 'w', 'b'], ['scores']);
  b.output('scores', [inputDims[0]!, pixels.length]);
  return encodeModel(b.build());
}

/** An "autoencoder" that keeps the pixels where mask is 1 and zeroes the rest. */
export function maskAutoencoderModel(mask: Float32Array): Uint8Array {
  const b = new ModelBuilder('mask-ae');
  b.input('x', ['N', mask.length]);
  b.initializer(floatTensor('mask', [mask.length], mask));
  b.node('Mul', ['x', 'mask'], ['y']);
  b.output('y', ['N', mask.length]);
  return encodeModel(b.build());
}

/** A Gemm+Relu MLP with seeded pseudo-random weights (a cheap LCG: big models build fast); widths[0] is the input size. */
export function mlpModel(widths: readonly number[], seed = 1): Uint8Array {
  let state = seed >>> 0;
  const rng = { next: () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32 };
  const b = new ModelBuilder('mlp');
  let h = b.input('x', ['N', widths[0]!]);
  for (let i = 1; i < widths.length; i++) {
    const [k, m] = [widths[i - 1]!, widths[i]!];
    const w = new Float32Array(k * m);
    for (let j = 0; j < w.length; j++) w[j] = (rng.next() - 0.5) / Math.sqrt(k);
    b.initializer(floatTensor(`w${i}`, [k, m], w));
    b.initializer(floatTensor(`b${i}`, [m], new Float32Array(m)));
    h = b.node('Gemm', [h, `w${i}`, `b${i}`], [`g${i}`])[0]!;
    if (i < widths.length - 1) h = b.node('Relu', [h], [`r${i}`])[0]!;
  }
  b.output(h, ['N', widths[widths.length - 1]!]);
  return encodeModel(b.build());
}
