import { z } from 'zod';
import { FormulaError, formulaVariables, parseFormula } from './formula.js';
import { INT_LADDER, PRECISIONS, PRECISION_BITS, type Precision } from './precision.js';
import { resolvePath } from './profile-paths.js';

/**
 * The schema of a hardware profile (hardware-profiles/<name>.json). A profile
 * is data: peak throughput per precision, memory levels, what the device
 * supports, and — for every figure — where the figure came from (`sources`,
 * keyed by the figure's path, e.g. `memory.dram.bandwidthBytesPerSecond`).
 * Units are in the field names: MACs/s, bytes, bytes/s, pJ, W, µs, MHz, nm.
 */

const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();
const positiveInt = z.number().int().positive();
const fraction = z.number().gt(0).lte(1);

export const DEVICE_CLASSES = ['cpu', 'gpu', 'fpga', 'asic', 'mcu'] as const;
export const DeviceClassSchema = z.enum(DEVICE_CLASSES);
export type DeviceClass = z.infer<typeof DeviceClassSchema>;

export const PrecisionSchema = z.enum(PRECISIONS);

export const SPARSITY_KINDS = ['none', 'structured', 'nm', 'unstructured'] as const;

/** One level of the memory hierarchy, fastest first in the profile's list. */
export const MemoryLevelSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    /**
     * cache: hardware-managed, serves whatever fits (weights only when the whole model stays warm);
     * sram: software-managed scratchpad, weights placed in layer order until full;
     * dram: main memory; flash: non-volatile storage weights are read from in place (MCU XIP).
     */
    kind: z.enum(['cache', 'sram', 'dram', 'flash']),
    sizeBytes: positive,
    bandwidthBytesPerSecond: positive,
    energyPjPerByte: nonNegative,
    holds: z.array(z.enum(['weights', 'activations'])).min(1),
  })
  .strict();
export type MemoryLevel = z.infer<typeof MemoryLevelSchema>;

export const SourceSchema = z
  .object({
    /** published: stated by the cited source; derived: computed from published figures (citation says how); assumed: an engineering estimate; measured: by edgefit on the device. */
    kind: z.enum(['published', 'derived', 'assumed', 'measured']),
    citation: z.string().min(1),
    note: z.string().optional(),
    /** false: the figure could not be checked against its source. */
    confirmed: z.boolean().optional(),
  })
  .strict();
export type FigureSource = z.infer<typeof SourceSchema>;

export const CalibrationSchema = z
  .object({
    method: z.string(),
    measuredAt: z.string(),
    host: z.string(),
    threads: positiveInt,
    /** Fixed cost of one inference call (session.run) measured on an Identity model. */
    runOverheadMs: nonNegative,
    /**
     * What the kinds of `ops` are kinds of: the model's own layers ('model',
     * the default: layer-plan.ts guesses onnxruntime's rewrites) or the
     * kernels of the graph onnxruntime executes on this machine ('executed':
     * executed-plan.ts; predicting needs that graph).
     */
    graph: z.enum(['model', 'executed']).optional(),
    /** Per operator kind (see `opKind`): latency ≈ interceptMs + msPerMac·MACs + msPerByte·bytes + msPerOutputByte·output bytes. */
    ops: z.record(
      z.string(),
      z
        .object({
          interceptMs: nonNegative,
          msPerMac: nonNegative,
          msPerByte: nonNegative,
          /** Extra cost per byte written (absent in profiles calibrated before it existed: 0). */
          msPerOutputByte: nonNegative.optional(),
          /** Cost per short row walked (executed-graph calibration: conv window taps per output pixel, Transpose runs); absent: 0. */
          msPerRow: nonNegative.optional(),
          /** Per micro-benchmark: its shape and ln(measured / law) — see local-correction.ts. */
          local: z.array(z.object({ at: z.array(z.number()), logRatio: z.number() }).strict()).optional(),
          samples: positiveInt,
          rmsRelativeError: nonNegative,
        })
        .strict(),
    ),
  })
  .strict();
export type Calibration = z.infer<typeof CalibrationSchema>;

export const TemplateSchema = z
  .object({
    parameters: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an identifier'),
            min: z.number().finite(),
            max: z.number().finite(),
            step: positive.optional(),
            default: z.number().finite(),
            unit: z.string(),
            description: z.string(),
          })
          .strict(),
      )
      .min(1),
    /** Profile field path → formula in the parameters, e.g. `"memory.sram.sizeBytes": "sramKB * 1024"`. */
    bindings: z.record(z.string(), z.string()),
    /** Silicon cost of a parameter point, for co-design objectives. */
    cost: z.object({ areaMm2: z.string(), powerW: z.string() }).strict(),
  })
  .strict();
export type ProfileTemplate = z.infer<typeof TemplateSchema>;

const ProfileObjectSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    description: z.string(),
    class: DeviceClassSchema,
    clockMHz: positive,
    /** Cores the peak figures are summed over (CPU threads scale the peak by threads/cores). */
    cores: positiveInt.optional(),
    /** Threads a prediction assumes when the caller gives none (default: all cores). */
    defaultThreads: positiveInt.optional(),
    /** Process node; energy per operation scales from Horowitz's 45 nm by node/45 (see energy.ts). */
    processNm: positive.optional(),
    /** Sustained multiply-accumulates per second per precision (whole device). */
    peakMacsPerSecond: z.partialRecord(PrecisionSchema, positive),
    /** Element-wise / pooling operations per second; default: the MAC rate at the layer's precision. */
    elementwiseOpsPerSecond: positive.optional(),
    /**
     * Bit-serial / bit-flexible arithmetic: throughput(w, a) = macsPerSecondAtStep /
     * (ceil(w/stepBits) · ceil(a/stepBits)) for integer layers up to maxBits.
     */
    bitSerial: z
      .object({
        macsPerSecondAtStep: positive,
        stepBits: z.number().int().min(1).max(8),
        maxBits: z.number().int().min(1).max(32),
        /** Energy of one step×step-bit MAC; a w×a MAC costs ceil(w/step)·ceil(a/step) of them. */
        energyPjPerStepMac: positive.optional(),
      })
      .strict()
      .optional(),
    supportedPrecisions: z.array(PrecisionSchema).min(1),
    /** A matrix engine computing an m×k×n tile per cycle: partial tiles waste lanes. */
    array: z.object({ m: positiveInt, k: positiveInt, n: positiveInt }).strict().optional(),
    /** GPU: independent output elements needed to fill the device; fewer leave it idle. */
    minParallelism: positiveInt.optional(),
    /** Share of peak compute / bandwidth that real kernels sustain. */
    efficiency: z.object({ compute: fraction, memory: fraction }).strict().optional(),
    memory: z.array(MemoryLevelSchema).min(1),
    /** The link to the host (USB, PCIe): graph inputs/outputs and fallback layers' tensors cross it. */
    hostLink: z.object({ name: z.string(), bytesPerSecond: positive, energyPjPerByte: nonNegative }).strict().optional(),
    sparsity: z
      .object({
        kind: z.enum(SPARSITY_KINDS),
        /** N:M pattern (at most n non-zeros in every m consecutive weights along the reduction axis). */
        n: positiveInt.optional(),
        m: positiveInt.optional(),
        /** Index bits stored per non-zero weight when weights are kept compressed. */
        indexBits: z.number().int().nonnegative().optional(),
        /** Share of the ideal work reduction actually realized. */
        efficiency: fraction.optional(),
      })
      .strict(),
    operators: z
      .object({
        /** Op types the device runs; omitted = every op. */
        supported: z.array(z.string()).optional(),
        unsupported: z.array(z.string()).optional(),
        /** Where unsupported layers run: 'layer' = just that layer, 'rest' = it and everything after it (Edge TPU compiler). */
        fallback: z.object({ device: z.string(), scope: z.enum(['layer', 'rest']) }).strict().optional(),
      })
      .strict(),
    /**
     * fold: a compiler turns QuantizeLinear/DequantizeLinear into integer kernels (they cost nothing);
     * onnxruntime: QDQ fuses only around ops whose output is re-quantized, otherwise DQ/Q nodes run in float.
     */
    qdq: z.enum(['fold', 'onnxruntime']).optional(),
    staticPowerW: nonNegative,
    overheadPerLayerUs: nonNegative,
    /** Energy per MAC per precision; omitted precisions use Horowitz 45 nm scaled by processNm. */
    energyPjPerMac: z.partialRecord(PrecisionSchema, positive).optional(),
    calibration: CalibrationSchema.optional(),
    template: TemplateSchema.optional(),
    sources: z.record(z.string(), SourceSchema),
  })
  .strict();

export type HardwareProfile = z.infer<typeof ProfileObjectSchema>;

/** Paths of every figure a profile states; each must have a `sources` entry. */
export function figurePaths(p: HardwareProfile): string[] {
  const paths = ['clockMHz', 'staticPowerW', 'overheadPerLayerUs'];
  for (const key of ['cores', 'processNm', 'elementwiseOpsPerSecond', 'minParallelism', 'array', 'efficiency'] as const) {
    if (p[key] !== undefined) paths.push(key);
  }
  for (const prec of Object.keys(p.peakMacsPerSecond)) paths.push(`peakMacsPerSecond.${prec}`);
  for (const prec of Object.keys(p.energyPjPerMac ?? {})) paths.push(`energyPjPerMac.${prec}`);
  if (p.bitSerial) {
    paths.push('bitSerial.macsPerSecondAtStep');
    if (p.bitSerial.energyPjPerStepMac !== undefined) paths.push('bitSerial.energyPjPerStepMac');
  }
  for (const level of p.memory) {
    for (const f of ['sizeBytes', 'bandwidthBytesPerSecond', 'energyPjPerByte']) paths.push(`memory.${level.name}.${f}`);
  }
  if (p.hostLink) paths.push('hostLink.bytesPerSecond', 'hostLink.energyPjPerByte');
  return paths;
}

/** Precisions the profile can actually compute at: a peak figure, or the bit-serial engine. */
export function hasThroughput(p: HardwareProfile, prec: Precision): boolean {
  if (p.peakMacsPerSecond[prec] !== undefined) return true;
  return !!p.bitSerial && INT_LADDER.includes(prec) && PRECISION_BITS[prec] <= p.bitSerial.maxBits;
}

function checkProfile(p: HardwareProfile, ctx: z.core.$RefinementCtx<HardwareProfile>): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  for (const f of figurePaths(p)) {
    if (!p.sources[f]) issue(['sources', f], `no source for figure '${f}' (say published, derived, assumed or measured, and from where)`);
  }
  p.supportedPrecisions.forEach((prec, i) => {
    if (!hasThroughput(p, prec)) issue(['supportedPrecisions', i], `'${prec}' is supported but has no peakMacsPerSecond.${prec} and no bitSerial engine covering it`);
  });
  const names = new Set<string>();
  p.memory.forEach((level, i) => {
    if (names.has(level.name)) issue(['memory', i, 'name'], `memory level '${level.name}' appears twice`);
    names.add(level.name);
  });
  if (!p.memory.some((l) => l.holds.includes('weights'))) issue(['memory'], 'no memory level holds weights');
  if (!p.memory.some((l) => l.holds.includes('activations'))) issue(['memory'], 'no memory level holds activations');
  if (p.sparsity.kind === 'nm' && (p.sparsity.n === undefined || p.sparsity.m === undefined || p.sparsity.n >= p.sparsity.m)) {
    issue(['sparsity'], "kind 'nm' needs n < m (e.g. n: 2, m: 4)");
  }
  if (p.operators.fallback?.device === p.name) issue(['operators', 'fallback', 'device'], 'a device cannot fall back to itself');
  if (p.template) checkTemplate(p, p.template, issue);
}

function checkTemplate(p: HardwareProfile, t: ProfileTemplate, issue: (path: (string | number)[], message: string) => void): void {
  const params = new Set<string>();
  t.parameters.forEach((param, i) => {
    if (params.has(param.name)) issue(['template', 'parameters', i, 'name'], `parameter '${param.name}' appears twice`);
    params.add(param.name);
    if (param.min > param.max) issue(['template', 'parameters', i], `min ${param.min} > max ${param.max}`);
    if (param.default < param.min || param.default > param.max) issue(['template', 'parameters', i, 'default'], `default ${param.default} outside [${param.min}, ${param.max}]`);
  });
  const checkFormula = (src: string, path: (string | number)[]) => {
    try {
      for (const v of formulaVariables(parseFormula(src))) if (!params.has(v)) issue(path, `formula '${src}' uses '${v}', which is not a template parameter`);
    } catch (err) {
      if (!(err instanceof FormulaError)) throw err;
      issue(path, `formula '${src}': ${err.message}`);
    }
  };
  for (const [target, src] of Object.entries(t.bindings)) {
    checkFormula(src, ['template', 'bindings', target]);
    const found = resolvePath(p, target);
    if (!found || typeof found.parent[found.key] !== 'number') issue(['template', 'bindings', target], `'${target}' is not a numeric field of the profile`);
  }
  checkFormula(t.cost.areaMm2, ['template', 'cost', 'areaMm2']);
  checkFormula(t.cost.powerW, ['template', 'cost', 'powerW']);
}

export const HardwareProfileSchema = ProfileObjectSchema.superRefine(checkProfile);
