import { elementCount, tensorDims, type onnx } from '@edgefit/onnx';
import { floatValues } from './tensor-edit.js';

export type ChannelCriterion = 'l1-filter' | 'l2-filter' | 'bn-scale';

/**
 * Importance of each output channel: the L1 norm of its filter (Li et al.
 * 2017), the L2 norm, or |γ| of the BatchNormalization that follows (Liu et
 * al. 2017, "network slimming": BN rescales each channel, so a small γ means
 * a channel the next layer barely sees).
 */
export function filterNorms(weight: onnx.ITensorProto, axis: number, p: 1 | 2): Float64Array {
  const dims = tensorDims(weight);
  const w = floatValues(weight);
  const outer = elementCount(dims.slice(0, axis));
  const inner = elementCount(dims.slice(axis + 1));
  const channels = dims[axis]!;
  const score = new Float64Array(channels);
  for (let a = 0; a < outer; a++) {
    for (let c = 0; c < channels; c++) {
      const base = (a * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const v = w[base + i]!;
        score[c] += p === 1 ? Math.abs(v) : v * v;
      }
    }
  }
  if (p === 2) for (let c = 0; c < channels; c++) score[c] = Math.sqrt(score[c]!);
  return score;
}

export function bnScaleScores(scale: onnx.ITensorProto): Float64Array {
  return Float64Array.from(floatValues(scale), Math.abs);
}

/** The `count` lowest-scoring channels (ties by index), never all of them. */
export function channelsToRemove(scores: Float64Array, count: number): Set<number> {
  const n = Math.min(count, scores.length - 1);
  if (n <= 0) return new Set();
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]! || a - b);
  return new Set(order.slice(0, n));
}
