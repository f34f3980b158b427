import { UserInputError } from '@edgefit/core';
import { evaluate } from './formula.js';
import { resolvePath } from './profile-paths.js';
import { HardwareProfileSchema, hasThroughput, type HardwareProfile } from './profile-schema.js';

/**
 * Co-design templates: a profile that declares tunable parameters (array
 * size, buffer KB, clock, widest operand…) becomes a concrete profile for
 * one parameter point; the silicon cost of that point (area, power) comes
 * from the template's formulas, so a search can trade hardware against model.
 */
export interface TemplatePoint {
  profile: HardwareProfile;
  parameters: Record<string, number>;
  areaMm2: number;
  powerW: number;
}

/** Template parameters with their defaults, overridden by `values`; out-of-range or unknown names throw UserInputError. */
export function templateParameters(profile: HardwareProfile, values: Record<string, number> = {}): Record<string, number> {
  const t = profile.template;
  if (!t) throw new UserInputError(`hardware profile '${profile.name}' is not a template (it has no template parameters)`);
  const known = new Map(t.parameters.map((p) => [p.name, p] as const));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) throw new UserInputError(`'${name}' is not a parameter of template '${profile.name}' (parameters: ${[...known.keys()].join(', ')})`);
  }
  const out: Record<string, number> = {};
  for (const p of t.parameters) {
    const v = values[p.name] ?? p.default;
    if (!Number.isFinite(v) || v < p.min || v > p.max) throw new UserInputError(`template '${profile.name}': ${p.name} = ${v} is outside [${p.min}, ${p.max}] ${p.unit}`);
    out[p.name] = v;
  }
  return out;
}

/** The concrete profile at a parameter point (defaults for parameters not given). */
export function instantiateTemplate(profile: HardwareProfile, values: Record<string, number> = {}): TemplatePoint {
  const params = templateParameters(profile, values);
  const t = profile.template!;
  const copy = structuredClone(profile) as HardwareProfile;
  for (const [path, formula] of Object.entries(t.bindings)) {
    const target = resolvePath(copy, path)!;
    target.parent[target.key] = evaluate(formula, params);
  }
  // a narrower maxBits (or a removed engine) drops the precisions it no longer covers
  copy.supportedPrecisions = copy.supportedPrecisions.filter((prec) => hasThroughput(copy, prec));
  const where = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ');
  copy.description = `${profile.description} [template point: ${where}]`;
  for (const path of Object.keys(t.bindings)) {
    copy.sources[path] = { kind: 'derived', citation: `template formula ${t.bindings[path]} at ${where}` };
  }
  delete copy.template;
  return {
    profile: HardwareProfileSchema.parse(copy),
    parameters: params,
    areaMm2: evaluate(t.cost.areaMm2, params),
    powerW: evaluate(t.cost.powerW, params),
  };
}
