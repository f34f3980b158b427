import { SeededRng } from '@edgefit/core';
import type { DataSplit } from '@edgefit/data';
import { resolveParams } from '../../param-schema.js';
import type { Pass, PassContext } from '../../pass.js';

/** A pass context for tests: a calibration split, a seeded RNG, silent log. */
export function testContext(calibration?: DataSplit, extra: Partial<PassContext> = {}): PassContext {
  return { calibration, rng: new SeededRng(1), log: () => {}, ...extra };
}

/** Params as the CLI would give them (strings or values), resolved against the pass's schema. */
export function params(pass: Pass, raw: Record<string, unknown>) {
  return resolveParams(pass.name, pass.params, raw);
}
