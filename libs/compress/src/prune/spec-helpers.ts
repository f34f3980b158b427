/**
 * Test support for the prune and codec specs (imported by *.spec.ts only):
 * running a model in onnxruntime, and building small models whose
 * structure a test controls.
 */
import * as ort from 'onnxruntime-node';
import { SeededRng } from '@edgefit/core';
import { ModelBuilder, encodeModel, floatTensor, type onnx } from '@edgefit/onnx';

export async function runOrt(model: onnx.IModelProto, input: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
    const t = out[session.outputNames[0]!]!;
    return { data: t.data as Float32Array, dims: t.dims };
  } finally {
    await session.release();
  }
}

export function randomInput(count: number, seed: number): Float32Array {
  const rng = new SeededRng(seed);
  return Float32Array.from({ length: count }, () => rng.next());
}

export function randomValues(count: number, rng: SeededRng, scale = 0.5): Float32Array {
  return Float32Array.from({ length: count }, () => (rng.next() * 2 - 1) * scale);
}

/** Set the given output channels of a [C, …] tensor (or entries of a [C] vector) to a value. */
export function fillChannels(values: Float32Array, channels: number, which: Iterable<number>, value = 0): Float32Array {
  const inner = values.length / channels;
  for (const c of which) values.fill(value, c * inner, (c + 1) * inner);
  return values;
}

/** Layers of a random small model, as a property test draws them. */
export type LayerSpec =
  | { kind: 'conv'; out: number; k: 1 | 3; bn: boolean; relu: boolean; pool: boolean }
  | { kind: 'dw'; bn: boolean; relu: boolean }
  | { kind: 'dense'; out: number; relu: boolean };

/**
 * An MLP or CNN from specs: convs (optionally BN, ReLU, 2×2 max pool) and
 * depthwise convs on a [C, H, W] input, then Flatten and dense layers, and a
 * final dense layer of `classes` outputs (the graph output).
 */
export function buildModel(input: [number, number, number], layers: LayerSpec[], classes: number, seed: number): onnx.ModelProto {
  const rng = new SeededRng(seed);
  const b = new ModelBuilder('random');
  let x = b.input('input', ['N', ...input]);
  let [c, h, w] = input;
  let flat = 0;
  let i = 0;
  const name = (p: string) => `${p}${++i}`;
  const bn = (v: string, ch: number) => {
    const n = name('bn');
    const scale = b.initializer(floatTensor(`${n}.scale`, [ch], Float32Array.from({ length: ch }, () => 0.5 + rng.next())));
    const bias = b.initializer(floatTensor(`${n}.bias`, [ch], randomValues(ch, rng, 0.1)));
    const mean = b.initializer(floatTensor(`${n}.mean`, [ch], randomValues(ch, rng, 0.1)));
    const vr = b.initializer(floatTensor(`${n}.var`, [ch], Float32Array.from({ length: ch }, () => 0.5 + rng.next())));
    return b.node('BatchNormalization', [v, scale, bias, mean, vr], [n], { epsilon: 1e-5 }, n)[0]!;
  };
  const relu = (v: string) => b.node('Relu', [v], [name('relu')])[0]!;
  for (const l of layers) {
    if (l.kind === 'dense') {
      if (!flat) {
        flat = c * h * w;
        x = b.node('Flatten', [x], [name('flatten')], { axis: 1 })[0]!;
      }
      const n = name('fc');
      const wt = b.initializer(floatTensor(`${n}.weight`, [l.out, flat], randomValues(l.out * flat, rng, 1 / Math.sqrt(flat))));
      const bias = b.initializer(floatTensor(`${n}.bias`, [l.out], randomValues(l.out, rng, 0.1)));
      x = b.node('Gemm', [x, wt, bias], [n], { transB: 1 }, n)[0]!;
      if (l.relu) x = relu(x);
      flat = l.out;
      continue;
    }
    if (flat) continue; // convs only before the classifier
    const n = name(l.kind);
    const k = l.kind === 'dw' ? 3 : l.k;
    const out = l.kind === 'dw' ? c : l.out;
    const group = l.kind === 'dw' ? c : 1;
    const fanIn = (c / group) * k * k;
    const wt = b.initializer(floatTensor(`${n}.weight`, [out, c / group, k, k], randomValues(out * fanIn, rng, 1 / Math.sqrt(fanIn))));
    const pad = (k - 1) / 2;
    x = b.node('Conv', [x, wt, b.initializer(floatTensor(`${n}.bias`, [out], randomValues(out, rng, 0.1)))], [n], { kernel_shape: [k, k], pads: [pad, pad, pad, pad], group }, n)[0]!;
    c = out;
    if (l.bn) x = bn(x, c);
    if (l.relu) x = relu(x);
    if (l.kind === 'conv' && l.pool && h >= 2 && w >= 2) {
      x = b.node('MaxPool', [x], [name('pool')], { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    }
  }
  if (!flat) {
    flat = c * h * w;
    x = b.node('Flatten', [x], [name('flatten')], { axis: 1 })[0]!;
  }
  const wt = b.initializer(floatTensor('logits.weight', [classes, flat], randomValues(classes * flat, rng, 1 / Math.sqrt(flat))));
  const bias = b.initializer(floatTensor('logits.bias', [classes], randomValues(classes, rng, 0.1)));
  b.node('Gemm', [x, wt, bias], ['logits'], { transB: 1 }, 'logits');
  b.output('logits', ['N', classes]);
  return b.build();
}
