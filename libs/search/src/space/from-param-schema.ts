import type { ParamSchema } from '@edgefit/compress';
import type { Condition, ParamSpec } from './params.js';

export interface FromSchemaOptions {
  /** Add `<prefix>.enabled` and make every other parameter conditional on it (a pass is on or off). Default true. */
  optional?: boolean;
  /** Layers for per-layer parameters: `<prefix>.<param>.<layer>` each; without it a per-layer param is searched globally. */
  layers?: readonly string[];
  /** Only these parameter names (default: all searchable ones). */
  only?: readonly string[];
}

/**
 * A pass's own parameter schema → space parameters named `<prefix>.<param>`.
 * The pass declares its knobs and ranges; the search does not restate them.
 * `string` parameters are not searchable and are left at their defaults.
 */
export function spaceFromParamSchema(prefix: string, schema: ParamSchema, opts: FromSchemaOptions = {}): ParamSpec[] {
  const out: ParamSpec[] = [];
  let condition: Condition | undefined;
  if (opts.optional ?? true) {
    out.push({ name: `${prefix}.enabled`, kind: 'bool' });
    condition = { param: `${prefix}.enabled`, equals: true };
  }
  for (const [key, def] of Object.entries(schema)) {
    if (opts.only && !opts.only.includes(key)) continue;
    if (def.kind === 'string') continue;
    const names = 'perLayer' in def && def.perLayer && opts.layers?.length ? opts.layers.map((l) => `${prefix}.${key}.${l}`) : [`${prefix}.${key}`];
    for (const name of names) {
      const base = { name, description: def.description, ...(condition ? { condition } : {}) };
      switch (def.kind) {
        case 'int':
          // An int with a fixed list of choices (e.g. bit widths 2, 4, 8) is categorical: no order assumed.
          out.push(def.choices ? { ...base, kind: 'categorical', choices: [...def.choices] } : { ...base, kind: 'int', min: def.min, max: def.max, ...(def.log ? { log: true } : {}), ...(def.step ? { step: def.step } : {}) });
          break;
        case 'float':
          out.push({ ...base, kind: 'float', min: def.min, max: def.max, ...(def.log ? { log: true } : {}) });
          break;
        case 'categorical':
          out.push({ ...base, kind: 'categorical', choices: [...def.choices] });
          break;
        case 'bool':
          out.push({ ...base, kind: 'bool' });
          break;
      }
    }
  }
  return out;
}
