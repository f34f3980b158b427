import { DatasetError, LimitExceededError } from '@edgefit/core';
import { MAX_CLASSES, MAX_DATASET_SAMPLES, MAX_DATASET_VALUES } from './limits.js';
import { shapeSize, type NdArray } from './ndarray.js';
import type { DataSplit } from './dataset.js';

export interface Images {
  /** count × sampleSize values in [0, 1], NCHW per sample. */
  x: Float32Array;
  count: number;
  inputShape: number[];
}

/** Per-sample shape of an images array; 4-D channel-last arrays are recognised (see `toImages`). */
function sampleShape(shape: readonly number[]): { inputShape: number[]; nhwc: boolean } {
  const rest = shape.slice(1);
  if (rest.length === 2) return { inputShape: [1, rest[0]!, rest[1]!], nhwc: false };
  if (rest.length === 3) {
    const [a, b, c] = rest as [number, number, number];
    const isChannels = (d: number) => d === 1 || d === 3 || d === 4;
    if (isChannels(c) && !isChannels(a) && b > 4) return { inputShape: [c, a, b], nhwc: true };
  }
  return { inputShape: rest, nhwc: false };
}

function nhwcToNchw(src: Float32Array, count: number, [c, h, w]: number[]): Float32Array {
  const out = new Float32Array(src.length);
  const size = c! * h! * w!;
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < h!; y++) {
      for (let x = 0; x < w!; x++) {
        for (let k = 0; k < c!; k++) out[n * size + (k * h! + y) * w! + x] = src[n * size + (y * w! + x) * c! + k]!;
      }
    }
  }
  return out;
}

/** Refuse arrays beyond the sample and value limits. */
export function checkLimits(count: number, values: number, source: string): void {
  if (count > MAX_DATASET_SAMPLES) throw new LimitExceededError(`${source}: ${count} samples exceeds the limit of ${MAX_DATASET_SAMPLES}`);
  if (values > MAX_DATASET_VALUES) throw new LimitExceededError(`${source}: ${values} values exceeds the limit of ${MAX_DATASET_VALUES}`);
}

/**
 * Images [count, …] → floats in [0, 1]: uint8 is divided by 255; float
 * arrays must already lie in [0, 1]. [n, h, w] gains a channel ([n, 1, h, w]);
 * [n, h, w, c] with c ∈ {1, 3, 4} and h, w > 4 is taken as channel-last and
 * transposed to NCHW; any other rank-4 array is taken as NCHW.
 */
export function toImages(arr: NdArray, source: string): Images {
  if (arr.shape.length < 2) throw new DatasetError(`${source}: images need a shape [count, …], got [${arr.shape.join(', ')}]`);
  const count = arr.shape[0]!;
  if (count === 0) throw new DatasetError(`${source}: holds no samples`);
  checkLimits(count, arr.data.length, source);
  const { inputShape, nhwc } = sampleShape(arr.shape);
  let x: Float32Array;
  if (arr.dtype === 'uint8') {
    x = new Float32Array(arr.data.length);
    const d = arr.data as Uint8Array;
    for (let i = 0; i < d.length; i++) x[i] = d[i]! / 255;
  } else if (arr.dtype === 'float32' || arr.dtype === 'float64') {
    x = arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data as Float64Array);
    let min = Infinity;
    let max = -Infinity;
    for (const v of x) {
      if (Number.isNaN(v)) throw new DatasetError(`${source}: images contain NaN`);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min < 0 || max > 1) {
      throw new DatasetError(`${source}: float images must lie in [0, 1] (found ${min}..${max}); scale them or save them as uint8`);
    }
  } else {
    throw new DatasetError(`${source}: images of type ${arr.dtype} are not supported; use uint8 (0–255) or float in [0, 1]`);
  }
  return { x: nhwc ? nhwcToNchw(x, count, inputShape) : x, count, inputShape };
}

/**
 * Labels [count] or [count, 1] → class indices, checked to be integers in
 * [0, numClasses) (numClasses defaults to MAX_CLASSES).
 */
export function toLabels(arr: NdArray, source: string, numClasses = MAX_CLASSES): Int32Array {
  const [count, ...rest] = arr.shape;
  if (count === undefined || shapeSize(rest) !== 1) {
    throw new DatasetError(`${source}: labels need a shape [count] of class indices, got [${arr.shape.join(', ')}]`);
  }
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = Number(arr.data[i]!);
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new DatasetError(`${source}: label ${v} at index ${i} is out of range (class indices must be integers in [0, ${numClasses}))`);
    }
    y[i] = v;
  }
  return y;
}

/** Images and labels of one file pair as one pool of samples; counts must agree. */
export function labeledPool(images: Images, y: Int32Array, imagesFile: string, labelsFile: string): DataSplit {
  if (images.count !== y.length) {
    throw new DatasetError(`${imagesFile} holds ${images.count} images but ${labelsFile} holds ${y.length} labels; the counts must match`);
  }
  return { x: images.x, y, count: images.count, sampleSize: images.x.length / images.count };
}
