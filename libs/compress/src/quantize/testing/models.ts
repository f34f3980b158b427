import { SeededRng } from '@edgefit/core';
import { ModelBuilder, floatTensor, makeAttr, type onnx } from '@edgefit/onnx';

const uniform = (rng: SeededRng, n: number, bound: number) => Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * bound);

/** A ReLU MLP of Gemm layers (transB=1, as exporters write Linear) named fc0, fc1, … */
export function mlpModel(widths: readonly number[], seed = 1): onnx.ModelProto {
  const rng = new SeededRng(seed);
  const b = new ModelBuilder('mlp');
  let x = b.input('x', ['N', widths[0]!]);
  for (let i = 0; i + 1 < widths.length; i++) {
    const [fin, fout] = [widths[i]!, widths[i + 1]!];
    b.initializer(floatTensor(`fc${i}.weight`, [fout, fin], uniform(rng, fin * fout, Math.sqrt(6 / fin))));
    b.initializer(floatTensor(`fc${i}.bias`, [fout], uniform(rng, fout, 0.1)));
    x = b.node('Gemm', [x, `fc${i}.weight`, `fc${i}.bias`], [`fc${i}`], { transB: 1 }, `fc${i}`)[0]!;
    if (i + 2 < widths.length) x = b.node('Relu', [x], [`relu${i}`])[0]!;
  }
  b.output(x, ['N', widths[widths.length - 1]!]);
  return b.build();
}

export interface ConvNetOptions {
  seed?: number;
  /** Scale of each conv1 output channel's weights (uneven channel ranges). */
  channelScales?: readonly number[];
  /** Gemm attributes of the classifier. */
  gemm?: { transB?: 0 | 1; alpha?: number; beta?: number };
  /** Grouped (depthwise) second conv. */
  depthwise?: boolean;
}

/**
 * A small network with every layer kind: Conv (3×3, pad 1) → ReLU → Conv →
 * ReLU → Flatten → MatMul (no bias) → Add → ReLU → Gemm. Input [N, 2, 6, 6].
 */
export function convNetModel(o: ConvNetOptions = {}): onnx.ModelProto {
  const rng = new SeededRng(o.seed ?? 1);
  const scales = o.channelScales ?? [1, 1, 1, 1];
  const c1 = scales.length;
  const b = new ModelBuilder('convnet');
  b.input('x', ['N', 2, 6, 6]);
  const w1 = new Float32Array(c1 * 2 * 9);
  for (let c = 0; c < c1; c++) w1.set(uniform(rng, 18, 0.5 * scales[c]!), c * 18);
  b.initializer(floatTensor('conv1.weight', [c1, 2, 3, 3], w1));
  b.initializer(floatTensor('conv1.bias', [c1], uniform(rng, c1, 0.1)));
  b.node('Conv', ['x', 'conv1.weight', 'conv1.bias'], ['conv1'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'conv1');
  b.node('Relu', ['conv1'], ['relu1']);
  const group = o.depthwise ? c1 : 1;
  b.initializer(floatTensor('conv2.weight', [c1, c1 / group, 3, 3], uniform(rng, (c1 * c1 * 9) / group, 0.4)));
  b.initializer(floatTensor('conv2.bias', [c1], uniform(rng, c1, 0.1)));
  b.node('Conv', ['relu1', 'conv2.weight', 'conv2.bias'], ['conv2'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], group }, 'conv2');
  b.node('Relu', ['conv2'], ['relu2']);
  b.node('Flatten', ['relu2'], ['flat'], { axis: 1 });
  const k = c1 * 9;
  b.initializer(floatTensor('mm.weight', [k, 16], uniform(rng, k * 16, Math.sqrt(6 / k))));
  b.node('MatMul', ['flat', 'mm.weight'], ['mm'], {}, 'mm');
  b.initializer(floatTensor('mm.bias', [16], uniform(rng, 16, 0.1)));
  b.node('Add', ['mm', 'mm.bias'], ['mm_biased']);
  b.node('Relu', ['mm_biased'], ['relu3']);
  const transB = o.gemm?.transB ?? 1;
  b.initializer(floatTensor('fc.weight', transB ? [5, 16] : [16, 5], uniform(rng, 80, 0.6)));
  b.initializer(floatTensor('fc.bias', [5], uniform(rng, 5, 0.1)));
  b.node('Gemm', ['relu3', 'fc.weight', 'fc.bias'], ['logits'], { transB }, 'fc');
  b.output('logits', ['N', 5]);
  const model = b.build();
  const gemm = model.graph!.node!.find((n) => n.name === 'fc')!;
  // alpha and beta are FLOAT attributes even when their value is whole.
  for (const k of ['alpha', 'beta'] as const) if (o.gemm?.[k] !== undefined) gemm.attribute!.push(makeAttr(k, o.gemm[k]!, 'float'));
  return model;
}

/** Seeded inputs in [0, 1). */
export function randomInput(count: number, sampleSize: number, seed = 7): Float32Array {
  const rng = new SeededRng(seed);
  return Float32Array.from({ length: count * sampleSize }, () => rng.next());
}

/** A calibration split of random samples (labels unused). */
export function randomSplit(count: number, sampleSize: number, seed = 7) {
  return { x: randomInput(count, sampleSize, seed), y: new Int32Array(count), count, sampleSize };
}
