import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserInputError, hashJson } from '@edgefit/core';
import { coerceParam, defaultPassRegistry, type ParamDef, type PassRegistry } from '@edgefit/compress';
import { loadProfile, profileNames, type HardwareProfile } from '@edgefit/hardware';
import { SAMPLER_NAMES } from '../samplers/registry.js';
import type { ConstraintSpec, ObjectiveSpec } from '../study/storage.js';
import { metricInfo, metricKey, metricNames } from './metrics.js';

/** Documented limits of one study (README, Limits). */
export const MAX_TRIALS = 1_000_000;
export const MAX_WALL_TIME_MINUTES = 100_000;

/**
 * The experiment file (YAML or JSON): what to compress, on which data, for
 * which devices, over which space, judged by which objectives under which
 * constraints, with what budget. `loadExperiment` validates it in three
 * steps — YAML syntax, shape (zod, unknown keys rejected) and meaning
 * (model file, profiles, pass parameters, metric targets) — and every error
 * is one line naming the file and the field path.
 */

// ---------- shape (zod) ----------

const scalar = z.union([z.number(), z.string(), z.boolean()]);
/** A parameter's search range: a fixed value, a list of choices, a numeric range, or null (= the pass's own range). */
const RangeSchema = z.union([
  z.null(),
  scalar,
  z.array(z.union([z.number(), z.string(), z.boolean()])).min(1),
  z.strictObject({ choices: z.array(z.union([z.number(), z.string(), z.boolean()])).min(1) }),
  z.strictObject({ min: z.number(), max: z.number(), log: z.boolean().optional(), step: z.number().positive().optional() }),
]);
export type RangeInput = z.infer<typeof RangeSchema>;

const LayerSelectSchema = z
  .strictObject({ name: z.union([z.string(), z.array(z.string()).min(1)]).optional(), op: z.union([z.string(), z.array(z.string()).min(1)]).optional(), pattern: z.string().optional() })
  .refine((s) => s.name !== undefined || s.op !== undefined || s.pattern !== undefined, { message: 'give name, op or pattern' });

const PassSpaceSchema = z.union([
  z.boolean(),
  z.null(),
  z.strictObject({
    /** Search the pass on and off (default), or keep it always on (false). */
    optional: z.boolean().optional(),
    /** Parameters searched (ranges) or fixed (values); omitted → every searchable parameter over the pass's own ranges. */
    params: z.record(z.string(), RangeSchema).optional(),
    /** Per-layer parameters for the layers a selector picks. */
    layers: z.array(z.strictObject({ select: LayerSelectSchema, params: z.record(z.string(), RangeSchema) })).optional(),
  }),
]);

const TargetSchema = z.union([
  z.string().min(1),
  z.strictObject({
    profile: z.string().min(1),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, . _ -').optional(),
    /** Template parameters: ranges searched together with compression, or fixed values. */
    template: z.record(z.string(), RangeSchema).optional(),
  }),
]);

const ObjectiveSchema = z.union([
  z.string().min(1),
  z.strictObject({ maximize: z.string().min(1), target: z.string().optional() }),
  z.strictObject({ minimize: z.string().min(1), target: z.string().optional() }),
]);

const ConstraintSchema = z.union([
  z.strictObject({ fits: z.string().min(1) }),
  z
    .strictObject({ metric: z.string().min(1), target: z.string().optional(), max: z.number().optional(), min: z.number().optional() })
    .refine((c) => (c.max === undefined) !== (c.min === undefined), { message: 'give exactly one of max or min' }),
]);

const FineTuneSchema = z.union([
  z.boolean(),
  z.strictObject({ epochs: z.number().int().min(0).optional(), maxSteps: z.number().int().positive().optional(), trainSubset: z.number().int().positive().optional(), learningRate: z.number().positive().optional() }),
]);

const ExperimentSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, . _ - (no spaces)'),
  description: z.string().optional(),
  model: z.string().min(1),
  dataset: z.string().min(1),
  splitSeed: z.number().int().min(0).optional(),
  targets: z.array(TargetSchema).min(1).optional(),
  space: z.record(z.string(), PassSpaceSchema).refine((s) => Object.keys(s).length > 0, { message: 'name at least one pass' }),
  objectives: z.array(ObjectiveSchema).min(1),
  constraints: z.array(ConstraintSchema).optional(),
  budget: z
    .strictObject({
      trials: z.number().int().positive().max(MAX_TRIALS).optional(),
      wallTimeMinutes: z.number().positive().max(MAX_WALL_TIME_MINUTES).optional(),
    })
    .refine((b) => b.trials !== undefined || b.wallTimeMinutes !== undefined, { message: 'give trials or wallTimeMinutes' }),
  seed: z.number().int().min(0).optional(),
  sampler: z.enum([...SAMPLER_NAMES, 'tpe']).optional(),
  samplerOptions: z.record(z.string(), z.unknown()).optional(),
  fidelity: z
    .strictObject({
      validationSubset: z.number().int().positive().optional(),
      testSubset: z.number().int().positive().optional(),
      calibrationSamples: z.number().int().positive().optional(),
      fineTune: FineTuneSchema.optional(),
      halving: z
        .strictObject({
          validationSubsets: z.array(z.number().int().positive()).min(2),
          eta: z.number().int().min(2).optional(),
          /** Rung (0-based) from which passes fine-tune; lower rungs run post-training only (cheap screens). Default 0. */
          fineTuneFrom: z.number().int().min(0).optional(),
        })
        .optional(),
    })
    .optional(),
  measure: z.strictObject({ runs: z.number().int().positive().optional(), warmup: z.number().int().min(0).optional(), threads: z.number().int().positive().optional() }).optional(),
  /** Hypervolume reference point by objective key (e.g. `accuracy: 0`); default from the uncompressed model. */
  reference: z.record(z.string(), z.number()).optional(),
  /** Evaluate the uncompressed model too (reported beside the front; not a trial). Default true. */
  baseline: z.boolean().optional(),
});
export type ExperimentInput = z.infer<typeof ExperimentSchema>;

// ---------- the validated experiment ----------

export type ResolvedRange =
  | { kind: 'fixed'; value: number | string | boolean }
  | { kind: 'default' }
  | { kind: 'choices'; choices: (number | string | boolean)[] }
  | { kind: 'range'; min: number; max: number; log?: boolean; step?: number };

export interface LayerSelector {
  name?: string[];
  op?: string[];
  pattern?: string;
}

export interface PassSpace {
  pass: string;
  optional: boolean;
  /** Global parameters: omitted (undefined) → all searchable parameters over the pass's ranges. */
  params?: Record<string, ResolvedRange>;
  layers: { select: LayerSelector; params: Record<string, ResolvedRange>; path: string }[];
}

export interface TargetSpec {
  /** Name used in metric keys (`latencyMs@<name>`). */
  name: string;
  profile: HardwareProfile;
  /** Template parameters (co-design); absent for a fixed device. */
  template?: Record<string, ResolvedRange>;
}

export interface FineTuneSettings {
  epochs?: number;
  maxSteps?: number;
  trainSubset?: number;
  learningRate?: number;
}

export interface Experiment {
  /** The file it came from (absolute), or '<inline>'. */
  file: string;
  name: string;
  description?: string;
  /** Absolute path of the base ONNX model. */
  modelPath: string;
  /** Zoo name when the model was given as one. */
  zoo?: string;
  dataset: string;
  splitSeed: number;
  targets: TargetSpec[];
  space: PassSpace[];
  objectives: ObjectiveSpec[];
  constraints: ConstraintSpec[];
  budget: { trials?: number; wallTimeMs?: number };
  seed: number;
  sampler: string;
  samplerOptions: Record<string, unknown>;
  fidelity: {
    validationSubset?: number;
    testSubset?: number;
    calibrationSamples: number;
    fineTune: FineTuneSettings | false;
    halving?: { validationSubsets: number[]; eta: number; fineTuneFrom: number };
  };
  measure: { runs: number; warmup: number; threads: number };
  reference?: Record<string, number>;
  baseline: boolean;
  /** Hash of the validated input: the same file → the same study. */
  hash: string;
  /** The raw (parsed) input, for the study record. */
  input: ExperimentInput;
}

export interface LoadExperimentOptions {
  /** Where zoo models are looked for (default: `models/` under the working directory, then beside the file's folder). */
  modelDirs?: string[];
  registry?: PassRegistry;
}

type PathPart = string | number;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/** Read and validate an experiment file. */
export function loadExperiment(file: string, opts: LoadExperimentOptions = {}): Experiment {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new UserInputError(`experiment file '${file}' does not exist`);
  return parseExperiment(readFileSync(abs, 'utf8'), abs, opts);
}

/** Validate experiment text (YAML or JSON); `file` names it in errors and anchors relative model paths. */
export function parseExperiment(text: string, file = '<inline>', opts: LoadExperimentOptions = {}): Experiment {
  const rel = file === '<inline>' ? file : relative(process.cwd(), file);
  const shown = file === '<inline>' ? file : !rel || rel.startsWith('..') ? file : rel;
  const fail = (path: readonly PropertyKey[], message: string): never => {
    throw new UserInputError(`${shown}: ${formatPath(path)}: ${message}`.replace(/\s*\n\s*/g, ' '), { code: 'INVALID_EXPERIMENT' });
  };
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const e = err as { message?: string; linePos?: { line: number; col: number }[] };
    const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new UserInputError(`${shown}: not valid YAML${where}: ${(e.message ?? String(err)).split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, { code: 'INVALID_EXPERIMENT' });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail([], 'an experiment is a mapping with name, model, dataset, space, objectives and budget');
  const parsed = ExperimentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    let path: PropertyKey[] = [...issue.path];
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      path = [...path, keys[0]!];
      message = `unknown field '${keys[0]}'`;
    } else if (issue.code === 'invalid_type' && /received undefined/.test(message)) {
      message = 'is required';
    } else if (issue.code === 'invalid_union') {
      message = `invalid value ${JSON.stringify(valueAt(raw, path))?.slice(0, 80) ?? ''}`.trim();
    }
    fail(path, message);
  }
  const input = parsed.data!;
  const registry = opts.registry ?? defaultPassRegistry();
  const dir = file === '<inline>' ? process.cwd() : dirname(file);

  // dataset (checked by form here; loading happens when the study runs)
  if (!/^(mnist|fashion-mnist)$/i.test(input.dataset.trim()) && !/^(idx|npy):/i.test(input.dataset.trim())) {
    fail(['dataset'], `unknown dataset '${input.dataset}'; known: mnist, fashion-mnist, idx:<images>,<labels>, npy:<x.npy>,<y.npy>`);
  }

  // model
  const { modelPath, zoo } = resolveModelPath(input.model, input.dataset, dir, opts.modelDirs, (m) => fail(['model'], m));

  // targets
  const known = profileNames();
  const targets: TargetSpec[] = (input.targets ?? []).map((t, i) => {
    const profileName = typeof t === 'string' ? t : t.profile;
    const path: PathPart[] = typeof t === 'string' ? ['targets', i] : ['targets', i, 'profile'];
    if (!known.includes(profileName)) fail(path, `unknown device '${profileName}'; known devices: ${known.join(', ')}`);
    let profile: HardwareProfile;
    try {
      profile = loadProfile(profileName);
    } catch (err) {
      return fail(path, (err as Error).message);
    }
    if (typeof t === 'string' || !t.template) {
      if (profile.template && typeof t !== 'string' && t.template === undefined) {
        // a template profile used as a fixed device: its defaults
      }
      return { name: typeof t === 'string' ? t : (t.name ?? t.profile), profile };
    }
    if (!profile.template) fail(['targets', i, 'template'], `device '${profileName}' is not a template (it has no tunable parameters)`);
    const template: Record<string, ResolvedRange> = {};
    for (const [key, range] of Object.entries(t.template)) {
      const def = profile.template!.parameters.find((p) => p.name === key);
      const p: PathPart[] = ['targets', i, 'template', key];
      if (!def) fail(p, `'${key}' is not a parameter of template '${profileName}' (parameters: ${profile.template!.parameters.map((q) => q.name).join(', ')})`);
      template[key] = resolveRange(range, { kind: 'int', default: def!.default, min: def!.min, max: def!.max, ...(def!.step ? { step: def!.step } : {}), description: def!.description }, (m) => fail(p, m), profileName, key, true);
    }
    return { name: t.name ?? t.profile, profile, template };
  });
  const names = new Set<string>();
  targets.forEach((t, i) => {
    if (names.has(t.name)) fail(['targets', i], `target '${t.name}' appears twice (give one of them a name)`);
    names.add(t.name);
  });

  // space
  const space: PassSpace[] = [];
  for (const [passName, value] of Object.entries(input.space)) {
    if (value === false) continue;
    if (!registry.has(passName)) fail(['space', passName], `unknown pass '${passName}'; known passes: ${registry.names().join(', ')}`);
    const schema = registry.get(passName).params;
    if (value === true || value === null) {
      space.push({ pass: passName, optional: true, layers: [] });
      continue;
    }
    const paramsOf = (given: Record<string, RangeInput>, base: PathPart[], perLayer: boolean): Record<string, ResolvedRange> => {
      const out: Record<string, ResolvedRange> = {};
      for (const [key, range] of Object.entries(given)) {
        const def = schema[key];
        const p = [...base, key];
        if (!def) fail(p, `pass '${passName}' has no parameter '${key}'; known: ${Object.keys(schema).join(', ')}`);
        if (perLayer && !('perLayer' in def! && def!.perLayer)) fail(p, `parameter '${key}' of pass '${passName}' cannot be set per layer`);
        out[key] = resolveRange(range, def!, (m) => fail(p, m), passName, key, false);
      }
      return out;
    };
    const entry: PassSpace = {
      pass: passName,
      optional: value.optional ?? true,
      ...(value.params ? { params: paramsOf(value.params, ['space', passName, 'params'], false) } : {}),
      layers: (value.layers ?? []).map((l, i) => {
        const select: LayerSelector = {
          ...(l.select.name !== undefined ? { name: ([] as string[]).concat(l.select.name) } : {}),
          ...(l.select.op !== undefined ? { op: ([] as string[]).concat(l.select.op) } : {}),
          ...(l.select.pattern !== undefined ? { pattern: l.select.pattern } : {}),
        };
        if (select.pattern !== undefined) {
          try {
            new RegExp(select.pattern);
          } catch (err) {
            fail(['space', passName, 'layers', i, 'select', 'pattern'], `not a regular expression: ${(err as Error).message}`);
          }
        }
        return { select, params: paramsOf(l.params, ['space', passName, 'layers', i, 'params'], true), path: `space.${passName}.layers[${i}]` };
      }),
    };
    space.push(entry);
  }
  if (!space.length) fail(['space'], 'every pass is switched off; nothing to search');

  // objectives and constraints
  const metricPath = (metric: string, target: string | undefined, path: PathPart[]): { key: string; direction: 'minimize' | 'maximize' } => {
    let name = metric;
    let tgt = target;
    if (tgt === undefined && name.includes('@')) [name, tgt] = [name.slice(0, name.indexOf('@')), name.slice(name.indexOf('@') + 1)];
    const info = metricInfo(name);
    if (!info) fail(path, `unknown metric '${name}'; known: ${metricNames().join(', ')}`);
    if (info!.perTarget) {
      if (tgt === undefined) {
        if (targets.length === 1) tgt = targets[0]!.name;
        else fail(path, `metric '${name}' needs a target (one of: ${[...names].join(', ') || 'none declared in targets'})`);
      }
      const t = targets.find((x) => x.name === tgt);
      if (!t) fail(path, `target '${tgt}' is not among the experiment's targets (${[...names].join(', ') || 'none'})`);
      if (info!.templateOnly && !t!.profile.template) fail(path, `metric '${name}' needs a template target; '${tgt}' is a fixed device`);
    } else if (tgt !== undefined) {
      fail(path, `metric '${name}' does not belong to a target`);
    }
    return { key: metricKey(info!.name, info!.perTarget ? tgt : undefined), direction: info!.direction };
  };
  const objectives: ObjectiveSpec[] = input.objectives.map((o, i) => {
    if (typeof o === 'string') {
      const m = metricPath(o, undefined, ['objectives', i]);
      return { name: m.key, direction: m.direction };
    }
    const direction = 'maximize' in o ? 'maximize' : 'minimize';
    const m = metricPath('maximize' in o ? o.maximize : o.minimize, o.target, ['objectives', i]);
    return { name: m.key, direction };
  });
  objectives.forEach((o, i) => {
    if (objectives.findIndex((x) => x.name === o.name) !== i) fail(['objectives', i], `objective '${o.name}' appears twice`);
  });
  const constraints: ConstraintSpec[] = (input.constraints ?? []).map((c, i) => {
    if ('fits' in c) {
      const m = metricPath('fits', c.fits, ['constraints', i, 'fits']);
      return { metric: m.key, op: '>=', bound: 1 };
    }
    const m = metricPath(c.metric, c.target, ['constraints', i, 'metric']);
    return c.max !== undefined ? { metric: m.key, op: '<=', bound: c.max } : { metric: m.key, op: '>=', bound: c.min! };
  });
  if (input.reference) {
    for (const key of Object.keys(input.reference)) {
      if (!objectives.some((o) => o.name === key)) fail(['reference', key], `not an objective (objectives: ${objectives.map((o) => o.name).join(', ')})`);
    }
  }
  const halving = input.fidelity?.halving;
  if (halving) {
    const s = halving.validationSubsets;
    if (s.some((v, i) => i > 0 && v <= s[i - 1]!)) fail(['fidelity', 'halving', 'validationSubsets'], 'must increase');
    if (halving.fineTuneFrom !== undefined && halving.fineTuneFrom >= s.length) fail(['fidelity', 'halving', 'fineTuneFrom'], `must name a rung, 0 to ${s.length - 1}`);
    if (halving.fineTuneFrom !== undefined && !input.fidelity?.fineTune) fail(['fidelity', 'halving', 'fineTuneFrom'], 'fine-tuning is off (fidelity.fineTune)');
  }
  const ft = input.fidelity?.fineTune;
  return {
    file,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    modelPath,
    ...(zoo ? { zoo } : {}),
    dataset: input.dataset.trim(),
    splitSeed: input.splitSeed ?? 42,
    targets,
    space,
    objectives,
    constraints,
    budget: { ...(input.budget.trials !== undefined ? { trials: input.budget.trials } : {}), ...(input.budget.wallTimeMinutes !== undefined ? { wallTimeMs: input.budget.wallTimeMinutes * 60_000 } : {}) },
    seed: input.seed ?? 1,
    sampler: input.sampler === 'tpe' ? 'motpe' : (input.sampler ?? 'nsga2'),
    samplerOptions: input.samplerOptions ?? {},
    fidelity: {
      ...(input.fidelity?.validationSubset !== undefined ? { validationSubset: input.fidelity.validationSubset } : {}),
      ...(input.fidelity?.testSubset !== undefined ? { testSubset: input.fidelity.testSubset } : {}),
      calibrationSamples: input.fidelity?.calibrationSamples ?? 128,
      fineTune: ft === undefined || ft === false ? false : ft === true ? {} : ft,
      ...(halving ? { halving: { validationSubsets: halving.validationSubsets, eta: halving.eta ?? 3, fineTuneFrom: halving.fineTuneFrom ?? 0 } } : {}),
    },
    measure: { runs: input.measure?.runs ?? 30, warmup: input.measure?.warmup ?? 5, threads: input.measure?.threads ?? 1 },
    ...(input.reference ? { reference: input.reference } : {}),
    baseline: input.baseline ?? true,
    hash: hashJson({ input, model: modelPath }),
    input,
  };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function resolveModelPath(spec: string, dataset: string, dir: string, modelDirs: string[] | undefined, fail: (m: string) => never): { modelPath: string; zoo?: string } {
  const looksLikePath = /\.onnx$/i.test(spec) || spec.includes('/') || spec.includes('\\');
  if (looksLikePath) {
    const p = isAbsolute(spec) ? spec : resolve(dir, spec);
    if (!existsSync(p)) fail(`model file '${spec}' does not exist (looked at ${relative(process.cwd(), p) || p})`);
    return { modelPath: p };
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(spec)) fail(`'${spec}' is neither a zoo model name nor an .onnx path`);
  const fileName = `${spec}-${dataset.trim().toLowerCase().replace(/[^a-z0-9-]/gi, '_')}.onnx`;
  const dirs = modelDirs ?? [resolve('models'), resolve(dir, '..', 'models'), resolve(dir, 'models')];
  for (const d of dirs) {
    const p = join(d, fileName);
    if (existsSync(p)) return { modelPath: p, zoo: spec };
  }
  return fail(`the trained zoo model 'models/${fileName}' does not exist; run \`npx edgefit train ${spec} --dataset ${dataset.trim()}\` first (or give an .onnx path)`);
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A range from the file checked against the pass's (or template's) own
 * parameter definition: choices must be legal values, numeric ranges must lie
 * within the declared bounds.
 */
function resolveRange(range: RangeInput, def: ParamDef, fail: (m: string) => never, owner: string, key: string, template: boolean): ResolvedRange {
  const check = (v: unknown): number | string | boolean => {
    if (template) {
      if (!num(v)) fail(`must be a number, got ${JSON.stringify(v)}`);
      const d = def as Extract<ParamDef, { kind: 'int' }>;
      if ((v as number) < d.min || (v as number) > d.max) fail(`${v} is outside the template's range [${d.min}, ${d.max}]`);
      return v as number;
    }
    try {
      return coerceParam(owner, key, def, v);
    } catch (err) {
      return fail((err as Error).message.replace(/^pass '[^']*': parameter '[^']*' /, ''));
    }
  };
  if (range === null) {
    if (def.kind === 'string') fail(`parameter '${key}' is a string; it cannot be searched — give a value`);
    return { kind: 'default' };
  }
  if (Array.isArray(range) || (typeof range === 'object' && 'choices' in range)) {
    const choices = Array.isArray(range) ? range : range.choices;
    const out = choices.map(check);
    if (new Set(out).size !== out.length) fail('choices repeat a value');
    return out.length === 1 ? { kind: 'fixed', value: out[0]! } : { kind: 'choices', choices: out };
  }
  if (typeof range === 'object') {
    if (def.kind !== 'int' && def.kind !== 'float') fail(`a min/max range needs a numeric parameter; '${key}' is ${def.kind} — list the choices instead`);
    const d = def as Extract<ParamDef, { kind: 'int' | 'float' }>;
    if (range.min > range.max) fail(`min ${range.min} is greater than max ${range.max}`);
    if (range.min < d.min) fail(`min ${range.min} is below the lowest allowed value ${d.min}`);
    if (range.max > d.max) fail(`max ${range.max} is above the highest allowed value ${d.max}`);
    if (d.kind === 'int' && (!Number.isInteger(range.min) || !Number.isInteger(range.max))) fail('an integer parameter needs integer min and max');
    if (d.kind === 'int' && 'choices' in d && d.choices) fail(`parameter '${key}' takes only ${d.choices.join(', ')}; list the choices instead of a range`);
    if (range.log && range.min <= 0) fail('a log range needs min > 0');
    const step = range.step ?? (d.kind === 'int' ? d.step : undefined);
    if (step !== undefined && d.kind === 'int' && !Number.isInteger(step)) fail('step must be an integer');
    if (step !== undefined && d.kind === 'float' && range.log) fail('a float range takes a step or a log scale, not both');
    return { kind: 'range', min: range.min, max: range.max, ...(range.log ? { log: true } : {}), ...(step !== undefined ? { step } : {}) };
  }
  return { kind: 'fixed', value: check(range) };
}
