import type { DataSplit } from '@edgefit/data';
import { DataType, decodeModel, encodeModel, onnx } from '@edgefit/onnx';
import { modelInput, openSession, runBatches } from './ort.js';
import type { TensorStats } from './range-estimators.js';

/** Values kept per tensor for the percentile and MSE estimators (min and max are exact). */
const SAMPLE_CAP = 1 << 18;

class StatsCollector {
  min = Infinity;
  max = -Infinity;
  private readonly kept: number[] = [];
  private seen = 0;
  constructor(private readonly stride: number) {}

  add(values: ArrayLike<number>, count: number): void {
    for (let i = 0; i < count; i++) {
      const v = values[i]!;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      if (this.seen++ % this.stride === 0) this.kept.push(v);
    }
  }

  stats(): TensorStats {
    const empty = this.min > this.max;
    return { min: empty ? 0 : this.min, max: empty ? 0 : this.max, sample: Float32Array.from(this.kept) };
  }
}

/**
 * Run the float model over calibration samples in onnxruntime and keep, for
 * each named tensor, its exact range and a strided sample of its values.
 * The tensors are exposed as extra graph outputs of a copy of the model.
 */
export async function calibrate(model: onnx.IModelProto, tensors: readonly string[], data: DataSplit): Promise<Map<string, TensorStats>> {
  const copy = decodeModel(encodeModel(model));
  const graph = copy.graph!;
  const input = modelInput(graph, data.sampleSize);
  const outputs = new Set((graph.output ??= []).map((o) => o.name));
  for (const name of tensors) {
    if (name !== input.name && !outputs.has(name)) {
      graph.output!.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DataType.FLOAT } } }));
      outputs.add(name);
    }
  }
  const session = await openSession(encodeModel(copy));
  const collectors = new Map<string, StatsCollector>();
  const collector = (name: string, perSample: number) => {
    let c = collectors.get(name);
    if (!c) collectors.set(name, (c = new StatsCollector(Math.max(1, Math.ceil((perSample * data.count) / SAMPLE_CAP)))));
    return c;
  };
  if (tensors.includes(input.name)) collector(input.name, data.sampleSize).add(data.x, data.sampleSize * data.count);
  try {
    await runBatches(session, input, data.x, data.count, (result, n) => {
      for (const name of tensors) {
        const values = name === input.name ? undefined : (result[name]?.data as Float32Array | undefined);
        if (!values) continue;
        const perSample = values.length / (input.fixedBatch ?? n);
        collector(name, perSample).add(values, perSample * n);
      }
    });
  } finally {
    await session.release();
  }
  return new Map([...collectors].map(([name, c]) => [name, c.stats()]));
}
