export * from './errors.js';
export * from './rng.js';
export * from './hash.js';
export * from './provenance.js';
export * from './interleaved-timing.js';
