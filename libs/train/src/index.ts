export * from './zoo/zoo-model.js';
export * from './zoo/zoo-registry.js';
export { LayerBuilder } from './zoo/layer-builder.js';
