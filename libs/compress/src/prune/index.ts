export { prunePass } from './prune-pass.js';
export { PRUNE_PARAMS, PRUNE_METHODS, type PruneMethod } from './prune-params.js';
export { agpFraction, agpSchedule } from './agp-schedule.js';
export { layerMagnitudeMask, globalMagnitudeMasks, applyMask } from './magnitude.js';
export { nmMask, maxNonzerosPerGroup } from './nm-sparsity.js';
export { weightLayers, reductionLayout, type WeightLayer, type ReductionLayout } from './prunable-layers.js';
export { pruneChannels, channelLayers, type StructuredTarget } from './structured.js';
export { measureSparsity } from './unstructured.js';
