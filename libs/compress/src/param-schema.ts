import { UserInputError } from '@edgefit/core';

/**
 * A pass declares its own typed, searchable parameters (in the manner of
 * Olive): each carries a default, its search range and a description. The
 * search engine builds its space from these; the CLI parses against them.
 */
export type ParamDef = (
  | { kind: 'int'; default: number; min: number; max: number; log?: boolean; step?: number; choices?: readonly number[]; perLayer?: boolean; description: string }
  | { kind: 'float'; default: number; min: number; max: number; log?: boolean; perLayer?: boolean; description: string }
  | { kind: 'categorical'; default: string; choices: readonly string[]; perLayer?: boolean; description: string }
  | { kind: 'bool'; default: boolean; description: string }
  | { kind: 'string'; default: string; description: string }
) & {
  /** Acts only while the pass fine-tunes: a search without fine-tuning holds it at its default instead of searching it. */
  fineTuning?: boolean;
  /**
   * Acts only when another parameter of the same pass (declared before it)
   * has this value: a search leaves it out of configs where it would do
   * nothing (distillTemperature without distill=true).
   */
  activeWhen?: { param: string; equals: ParamValue };
};

export type ParamSchema = Record<string, ParamDef>;
export type ParamValue = number | string | boolean;
export type ParamValues = Record<string, ParamValue>;

/** Per-layer overrides: param name → layer (node) name → value. */
export type LayerOverrides = Record<string, Record<string, ParamValue>>;

export interface ResolvedParams<P extends ParamValues = ParamValues> {
  values: P;
  perLayer: LayerOverrides;
}

/** Check and coerce one value against its definition; errors name the parameter. */
export function coerceParam(pass: string, name: string, def: ParamDef, raw: unknown): ParamValue {
  const fail = (why: string): never => {
    throw new UserInputError(`pass '${pass}': parameter '${name}' ${why}`);
  };
  switch (def.kind) {
    case 'int': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isInteger(n)) fail(`must be an integer, got '${raw}'`);
      if (def.choices && !def.choices.includes(n)) fail(`must be one of ${def.choices.join(', ')}, got ${n}`);
      if (n < def.min || n > def.max) fail(`must be from ${def.min} to ${def.max}, got ${n}`);
      return n;
    }
    case 'float': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(n)) fail(`must be a number, got '${raw}'`);
      if (n < def.min || n > def.max) fail(`must be from ${def.min} to ${def.max}, got ${n}`);
      return n;
    }
    case 'categorical': {
      const s = String(raw);
      if (!def.choices.includes(s)) fail(`must be one of ${def.choices.join(', ')}, got '${s}'`);
      return s;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      return fail(`must be true or false, got '${raw}'`);
    }
    case 'string':
      return String(raw);
  }
}

/** Fill defaults, reject unknown names, and split `param.layer=value` overrides out. */
export function resolveParams(pass: string, schema: ParamSchema, raw: Record<string, unknown>): ResolvedParams {
  const values: ParamValues = {};
  const perLayer: LayerOverrides = {};
  for (const [key, value] of Object.entries(raw)) {
    const dot = key.indexOf('.');
    const name = dot < 0 ? key : key.slice(0, dot);
    const def = schema[name];
    if (!def) {
      throw new UserInputError(`pass '${pass}': unknown parameter '${name}'; known: ${Object.keys(schema).join(', ')}`);
    }
    if (dot < 0) {
      values[name] = coerceParam(pass, name, def, value);
      continue;
    }
    if (!('perLayer' in def) || !def.perLayer) throw new UserInputError(`pass '${pass}': parameter '${name}' cannot be set per layer`);
    const layer = key.slice(dot + 1);
    (perLayer[name] ??= {})[layer] = coerceParam(pass, `${name}.${layer}`, def, value);
  }
  for (const [name, def] of Object.entries(schema)) if (!(name in values)) values[name] = def.default;
  return { values, perLayer };
}

/** The value of a per-layer parameter for one layer. */
export function layerParam<T extends ParamValue>(params: ResolvedParams, name: string, layer: string): T {
  return (params.perLayer[name]?.[layer] ?? params.values[name]) as T;
}
