import { PassRegistry } from './pass-registry.js';
import { prunePass } from './prune/index.js';
import { quantizeAwarePass, quantizePass } from './quantize/index.js';

/**
 * The one registry of built-in passes, in one place so that the CLI, the
 * worker and the search engine agree on what a pass name means.
 */
export function defaultPassRegistry(): PassRegistry {
  return new PassRegistry().register(prunePass).register(quantizePass).register(quantizeAwarePass);
}
