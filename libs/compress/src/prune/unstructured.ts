import type { onnx } from '@edgefit/onnx';
import type { LayerReport } from '../pass.js';
import { applyMask, combineMasks, globalMagnitudeMasks, layerMagnitudeMask } from './magnitude.js';
import { nmMask } from './nm-sparsity.js';
import { reductionLayout, weightLayers, type WeightLayer } from './prunable-layers.js';
import { floatValues, replaceInitializer, withFloatValues } from './tensor-edit.js';

/**
 * One step of zeroing weights in place on a private copy: magnitude
 * (layer-wise or global) or N:M. Returns the masks (initializer → 0/1) so
 * fine-tuning can hold the zeros, combined with the previous step's.
 */
export type ZeroTarget =
  | { kind: 'magnitude'; scope: 'layer' | 'global'; sparsity: (layer: string) => number; overridden: (layer: string) => boolean; skip: ReadonlySet<string> }
  | { kind: 'nm'; n: number; m: number; skip: ReadonlySet<string> };

export function zeroWeights(model: onnx.ModelProto, target: ZeroTarget, previous: Map<string, Float32Array>): { masks: Map<string, Float32Array>; layers: LayerReport[] } {
  const layers = weightLayers(model).filter((l) => !target.skip.has(l.name));
  const values = layers.map((l) => floatValues(l.weight));
  const masks = new Map<string, Float32Array>();
  const masksFor = (): Float32Array[] => {
    if (target.kind === 'nm') return layers.map((l, i) => nmMask(values[i]!, reductionLayout(l), target.n, target.m));
    const out: (Float32Array | undefined)[] = layers.map(() => undefined);
    const pooled: number[] = [];
    layers.forEach((l, i) => {
      if (target.scope === 'global' && !target.overridden(l.name)) pooled.push(i);
      else out[i] = layerMagnitudeMask(values[i]!, target.sparsity(l.name));
    });
    if (pooled.length > 0) {
      // The global ranking uses the pass-wide sparsity (the value of any non-overridden layer).
      const g = globalMagnitudeMasks(pooled.map((i) => values[i]!), target.sparsity(layers[pooled[0]!]!.name));
      pooled.forEach((i, j) => (out[i] = g[j]));
    }
    return out as Float32Array[];
  };
  const fresh = masksFor();
  const report: LayerReport[] = [];
  layers.forEach((l: WeightLayer, i) => {
    const name = l.weight.name ?? '';
    const mask = combineMasks(previous.get(name), fresh[i]!);
    const pruned = applyMask(values[i]!, mask);
    replaceInitializer(model.graph!, withFloatValues(l.weight, pruned));
    let zeros = 0;
    for (const v of pruned) if (v === 0) zeros++;
    if (mask.some((v) => v === 0)) masks.set(name, mask);
    report.push({ layer: l.name, op: l.op, weight: name, params: pruned.length, zeros, sparsity: zeros / pruned.length });
  });
  return { masks, layers: report };
}

/** Zeros per weight layer as the model holds them (after fine-tuning, what the report gives). */
export function measureSparsity(model: onnx.IModelProto, skip: ReadonlySet<string>): LayerReport[] {
  return weightLayers(model)
    .filter((l) => !skip.has(l.name))
    .map((l) => {
      const w = floatValues(l.weight);
      let zeros = 0;
      for (const v of w) if (v === 0) zeros++;
      return { layer: l.name, op: l.op, weight: l.weight.name ?? '', params: w.length, zeros, sparsity: zeros / w.length };
    });
}
