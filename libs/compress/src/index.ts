export * from './param-schema.js';
export * from './pass.js';
export * from './pass-registry.js';
export * from './pass-spec.js';
export * from './pipeline.js';
