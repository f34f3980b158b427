import { ModelBuilder, floatTensor } from '@edgefit/onnx';
import type { SeededRng } from '@edgefit/core';

/**
 * Layer-level helpers over ModelBuilder for authoring zoo graphs in ONNX.
 * Weights use He (Kaiming) uniform initialization from a seeded RNG, biases
 * start at zero, so a seed reproduces a zoo model byte for byte.
 */
export class LayerBuilder {
  private counter = 0;
  constructor(readonly b: ModelBuilder, private readonly rng: SeededRng) {}

  private uniform(count: number, fanIn: number): Float32Array {
    const bound = Math.sqrt(6 / fanIn);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = (this.rng.next() * 2 - 1) * bound;
    return out;
  }

  private name(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  /** Conv with weight [cout, cin/group, k, k] and bias; returns the output name. */
  conv(x: string, cin: number, cout: number, k: number, opts: { stride?: number; pad?: number; group?: number; bias?: boolean; name?: string } = {}): string {
    const { stride = 1, pad = 0, group = 1, bias = true } = opts;
    const n = opts.name ?? this.name('conv');
    const fanIn = (cin / group) * k * k;
    const w = this.b.initializer(floatTensor(`${n}.weight`, [cout, cin / group, k, k], this.uniform(cout * fanIn, fanIn)));
    const inputs = [x, w];
    if (bias) inputs.push(this.b.initializer(floatTensor(`${n}.bias`, [cout], new Float32Array(cout))));
    return this.b.node('Conv', inputs, [n], { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad], group, dilations: [1, 1] }, n)[0]!;
  }

  /** Gemm y = x·Wᵀ + b with W [out, in] (transB=1, the layout exporters use). */
  dense(x: string, fin: number, fout: number, name?: string): string {
    const n = name ?? this.name('fc');
    const w = this.b.initializer(floatTensor(`${n}.weight`, [fout, fin], this.uniform(fout * fin, fin)));
    const bias = this.b.initializer(floatTensor(`${n}.bias`, [fout], new Float32Array(fout)));
    return this.b.node('Gemm', [x, w, bias], [n], { transB: 1 }, n)[0]!;
  }

  batchNorm(x: string, channels: number, name?: string): string {
    const n = name ?? this.name('bn');
    const ones = new Float32Array(channels).fill(1);
    const zeros = new Float32Array(channels);
    const inputs = [
      x,
      this.b.initializer(floatTensor(`${n}.scale`, [channels], ones)),
      this.b.initializer(floatTensor(`${n}.bias`, [channels], zeros)),
      this.b.initializer(floatTensor(`${n}.mean`, [channels], zeros)),
      this.b.initializer(floatTensor(`${n}.var`, [channels], ones)),
    ];
    return this.b.node('BatchNormalization', inputs, [n], { epsilon: 1e-5, momentum: 0.9 }, n)[0]!;
  }

  relu(x: string): string {
    return this.b.node('Relu', [x], [this.name('relu')])[0]!;
  }

  sigmoid(x: string): string {
    return this.b.node('Sigmoid', [x], [this.name('sigmoid')])[0]!;
  }

  maxPool(x: string, k: number): string {
    return this.b.node('MaxPool', [x], [this.name('pool')], { kernel_shape: [k, k], strides: [k, k] })[0]!;
  }

  globalAveragePool(x: string): string {
    return this.b.node('GlobalAveragePool', [x], [this.name('gap')])[0]!;
  }

  flatten(x: string): string {
    return this.b.node('Flatten', [x], [this.name('flatten')], { axis: 1 })[0]!;
  }

  /** Dropout with its ratio as a scalar initializer (opset ≥ 12 form); identity at inference. */
  dropout(x: string, ratio: number): string {
    const n = this.name('dropout');
    const r = this.b.initializer(floatTensor(`${n}.ratio`, [], [ratio]));
    return this.b.node('Dropout', [x, r], [n], {}, n)[0]!;
  }
}
