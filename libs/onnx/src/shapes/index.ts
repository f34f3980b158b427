import { ShapeRegistry } from './registry.js';
import { controlShapes } from './control.js';
import { convShapes } from './conv.js';
import { elementwiseShapes } from './elementwise.js';
import { generateShapes } from './generate.js';
import { indexingShapes } from './indexing.js';
import { linearShapes } from './linear.js';
import { onnxruntimeKernelShapes } from './onnxruntime-kernels.js';
import { poolShapes } from './pool.js';
import { quantizeShapes } from './quantize.js';
import { recurrentShapes } from './recurrent.js';
import { reduceShapes } from './reduce.js';
import { reshapeShapes } from './reshape.js';

/** A registry holding every shape function edgefit ships, one family per file. */
export function createShapeRegistry(): ShapeRegistry {
  return new ShapeRegistry()
    .registerAll(linearShapes)
    .registerAll(convShapes)
    .registerAll(poolShapes)
    .registerAll(elementwiseShapes)
    .registerAll(reshapeShapes)
    .registerAll(indexingShapes)
    .registerAll(generateShapes)
    .registerAll(reduceShapes)
    .registerAll(quantizeShapes)
    .registerAll(recurrentShapes)
    .registerAll(controlShapes);
}

/** The default registry, built once. */
export const shapeRegistry = createShapeRegistry();

/**
 * The default registry plus onnxruntime's internal kernels (NCHWc, fused and
 * NHWC quantized ops): for the graph onnxruntime executes, never for a user's model.
 */
export const executedGraphShapeRegistry = createShapeRegistry().registerAll(onnxruntimeKernelShapes);

export { ShapeRegistry, normalizeDomain } from './registry.js';
export { entries as shapeEntries } from './types.js';
export type { Dim as InferredDim, ShapeContext, ShapeEntry, ShapeFn, TensorInfo } from './types.js';
export { numel, broadcast, fmtShape } from './dims.js';
export { recurrentDims, RECURRENT_GATES } from './recurrent.js';
export { NCHWC_DOMAIN } from './onnxruntime-kernels.js';
