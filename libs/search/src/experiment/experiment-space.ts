import { UserInputError } from '@edgefit/core';
import { defaultPassRegistry, orderSteps, resolveParams, type ParamSchema, type PassRegistry, type PassStep } from '@edgefit/compress';
import type { onnx } from '@edgefit/onnx';
import type { Condition, Config, ParamSpec, ParamValue } from '../space/params.js';
import { spaceFromParamSchema } from '../space/from-param-schema.js';
import type { Experiment, LayerSelector, ResolvedRange, TargetSpec } from './experiment-spec.js';

/**
 * The search space of an experiment, and the way back from a config to what
 * it means: pass steps (in the default order) and template parameter points.
 *
 * Config keys: `<pass>.enabled` (optional passes), `<pass>.<param>` (global),
 * `<pass>.<param>.<layer>` (per layer), `hw.<target>.<param>` (co-design
 * template). A pass's parameters are conditional on its `enabled`.
 */
export interface ExperimentSpace {
  params: ParamSpec[];
  /** The passes a config turns on, with resolved parameters, in the default order. */
  toSteps(config: Config): PassStep[];
  /** Template parameter values of a target for a config (template defaults where not searched). */
  templateValues(config: Config, target: TargetSpec): Record<string, number>;
  /** Layers each per-layer selector picked (for reports). */
  selectedLayers: Record<string, string[]>;
}

export const enabledKey = (pass: string): string => `${pass}.enabled`;
export const templateKey = (target: string, param: string): string => `hw.${target}.${param}`;

function selectLayers(model: onnx.IModelProto, select: LayerSelector, path: string): string[] {
  const nodes = (model.graph?.node ?? []).filter((n) => n.name);
  if (select.name) {
    const names = new Set(nodes.map((n) => n.name!));
    for (const name of select.name) {
      if (!names.has(name)) throw new UserInputError(`${path}.select.name: the model has no layer '${name}' (layers: ${nodes.map((n) => n.name).slice(0, 12).join(', ')}${nodes.length > 12 ? ', …' : ''})`);
    }
  }
  const re = select.pattern !== undefined ? new RegExp(select.pattern) : undefined;
  const picked = nodes
    .filter((n) => (!select.name || select.name.includes(n.name!)) && (!select.op || select.op.includes(n.opType ?? '')) && (!re || re.test(n.name!)))
    .map((n) => n.name!);
  if (!picked.length) throw new UserInputError(`${path}.select: no layer of the model matches ${JSON.stringify(select)}`);
  return picked;
}

/** One parameter spec from a resolved range (undefined for a fixed value). */
function specFor(name: string, range: ResolvedRange, schema: ParamSchema, key: string, condition: Condition | undefined, layer: string | undefined): ParamSpec | undefined {
  const cond = condition ? { condition } : {};
  switch (range.kind) {
    case 'fixed':
      return undefined;
    case 'choices':
      return { name, kind: 'categorical', choices: range.choices, ...cond };
    case 'range': {
      const def = schema[key]!;
      if (def.kind === 'int') return { name, kind: 'int', min: range.min, max: range.max, ...(range.log ? { log: true } : {}), ...(range.step ? { step: range.step } : {}), ...cond };
      return { name, kind: 'float', min: range.min, max: range.max, ...(range.log ? { log: true } : {}), ...(range.step ? { step: range.step } : {}), ...cond };
    }
    case 'default': {
      const [spec] = spaceFromParamSchema('x', schema, { optional: false, only: [key], ...(layer ? { layers: [layer] } : {}) });
      return spec ? { ...spec, name, ...cond } : undefined;
    }
  }
}

export function buildExperimentSpace(exp: Experiment, model: onnx.IModelProto, registry: PassRegistry = defaultPassRegistry()): ExperimentSpace {
  const params: ParamSpec[] = [];
  const fixed = new Map<string, Record<string, ParamValue>>();
  const selectedLayers: Record<string, string[]> = {};
  const noFineTune = exp.fidelity.fineTune === false;
  for (const ps of exp.space) {
    const schema = registry.get(ps.pass).params;
    const raw: Record<string, ParamValue> = {};
    let condition: Condition | undefined;
    if (ps.optional) {
      params.push({ name: enabledKey(ps.pass), kind: 'bool' });
      condition = { param: enabledKey(ps.pass), equals: true };
    }
    const given: Record<string, ResolvedRange> = { ...(ps.params ?? Object.fromEntries(Object.entries(schema).filter(([, d]) => d.kind !== 'string').map(([k]) => [k, { kind: 'default' } as ResolvedRange]))) };
    if (noFineTune && 'fineTuneEpochs' in schema) {
      const g = ps.params?.fineTuneEpochs;
      if (g && !(g.kind === 'fixed' && g.value === 0)) {
        throw new UserInputError(`${exp.file}: space.${ps.pass}.params.fineTuneEpochs: fine-tuning is off in this experiment (fidelity.fineTune); remove the parameter or turn fine-tuning on`);
      }
      given.fineTuneEpochs = { kind: 'fixed', value: 0 };
    }
    // what only acts while fine-tuning (distillation) is not searched without it: held at its default
    if (noFineTune) {
      for (const [key, def] of Object.entries(schema)) {
        if (!def.fineTuning) continue;
        const g = ps.params?.[key];
        if (g && g.kind !== 'fixed' && g.kind !== 'default') {
          throw new UserInputError(`${exp.file}: space.${ps.pass}.params.${key}: acts only while fine-tuning, which is off in this experiment (fidelity.fineTune); remove the parameter or turn fine-tuning on`);
        }
        if (!g || g.kind === 'default') given[key] = { kind: 'fixed', value: def.default };
      }
    }
    // in the schema's order, so that a knob's parent (activeWhen) is placed before it
    const order = Object.keys(schema);
    for (const [key, range] of Object.entries(given).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))) {
      if (range.kind === 'fixed') {
        raw[key] = range.value;
        continue;
      }
      // a knob that acts only under another of the pass's knobs: searched only where that one has its value
      const when = schema[key]!.activeWhen;
      const parent = when ? `${ps.pass}.${when.param}` : undefined;
      if (when && when.param in raw && raw[when.param] !== when.equals) continue; // its parent is fixed elsewhere: inert, left at its default
      const own = when && params.some((q) => q.name === parent) ? { param: parent!, equals: when.equals } : condition;
      const spec = specFor(`${ps.pass}.${key}`, range, schema, key, own, undefined);
      if (spec) params.push(spec);
    }
    for (const layerSpec of ps.layers) {
      const layers = selectLayers(model, layerSpec.select, layerSpec.path);
      selectedLayers[layerSpec.path] = layers;
      for (const layer of layers) {
        for (const [key, range] of Object.entries(layerSpec.params)) {
          const name = `${ps.pass}.${key}.${layer}`;
          if (params.some((p) => p.name === name) || `${key}.${layer}` in raw) {
            throw new UserInputError(`${layerSpec.path}: layer '${layer}' gets parameter '${key}' from two selectors`);
          }
          if (range.kind === 'fixed') raw[`${key}.${layer}`] = range.value;
          else params.push(specFor(name, range, schema, key, condition, layer)!);
        }
      }
    }
    fixed.set(ps.pass, raw);
  }
  for (const t of exp.targets) {
    if (!t.template) continue;
    for (const [key, range] of Object.entries(t.template)) {
      if (range.kind === 'fixed') continue;
      const def = t.profile.template!.parameters.find((p) => p.name === key)!;
      const name = templateKey(t.name, key);
      if (range.kind === 'choices') params.push({ name, kind: 'categorical', choices: range.choices });
      else if (range.kind === 'range') params.push({ name, kind: 'int', min: range.min, max: range.max, ...(range.log ? { log: true } : {}), ...(range.step ? { step: range.step } : {}) });
      else params.push({ name, kind: 'int', min: def.min, max: def.max, ...(def.step ? { step: def.step } : {}) });
    }
  }
  if (!params.length) throw new UserInputError(`${exp.file}: space: every parameter is fixed and no pass is optional; there is nothing to search`);

  return {
    params,
    selectedLayers,
    toSteps(config: Config): PassStep[] {
      const steps: PassStep[] = [];
      for (const ps of exp.space) {
        if (ps.optional && config[enabledKey(ps.pass)] !== true) continue;
        const raw: Record<string, ParamValue> = { ...fixed.get(ps.pass) };
        const prefix = `${ps.pass}.`;
        for (const [k, v] of Object.entries(config)) {
          if (k.startsWith(prefix) && k !== enabledKey(ps.pass)) raw[k.slice(prefix.length)] = v;
        }
        steps.push({ pass: ps.pass, params: resolveParams(ps.pass, registry.get(ps.pass).params, raw) });
      }
      return orderSteps(steps);
    },
    templateValues(config: Config, target: TargetSpec): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [key, range] of Object.entries(target.template ?? {})) {
        const v = range.kind === 'fixed' ? range.value : config[templateKey(target.name, key)];
        if (typeof v === 'number') out[key] = v;
      }
      return out;
    },
  };
}
