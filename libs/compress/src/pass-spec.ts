import { UserInputError } from '@edgefit/core';
import type { PassRegistry } from './pass-registry.js';
import { resolveParams, type ResolvedParams } from './param-schema.js';

export interface PassStep {
  pass: string;
  params: ResolvedParams;
}

/**
 * Parse a CLI pass spec: `name[:key=value,key=value,...]`, where a key may be
 * `param.layer` for a per-layer override (e.g. `quantize:bits=8,bits.fc1=4`).
 */
export function parsePassSpec(spec: string, registry: PassRegistry): PassStep {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const pass = registry.get(name);
  const raw: Record<string, string> = {};
  if (colon >= 0 && spec.slice(colon + 1).trim() !== '') {
    for (const part of spec.slice(colon + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new UserInputError(`pass '${name}': expected key=value, got '${part}'`);
      const key = part.slice(0, eq).trim();
      if (key in raw) throw new UserInputError(`pass '${name}': parameter '${key}' given twice`);
      raw[key] = part.slice(eq + 1).trim();
    }
  }
  return { pass: name, params: resolveParams(name, pass.params, raw) };
}
