import type { LayerFacts, ModelFacts } from './layer-facts.js';
import { describePrecision, type LayerPrecision } from './precision.js';
import type { HardwareProfile } from './profile-schema.js';

/**
 * How a device's software stack executes each layer, before any device
 * figures are applied. Two stacks differ in what they make of Q/DQ graphs:
 *
 * - fold (TFLite, TensorRT, accelerator compilers): Quantize/DequantizeLinear
 *   disappear; a layer fed by quantized values computes in integers; tensors
 *   between integer layers move at their quantized width.
 * - onnxruntime (CPU): a Q/DQ group fuses into one integer kernel only when
 *   its output is re-quantized; otherwise DequantizeLinear runs as a float
 *   op every inference and the layer computes in float (DESIGN.md figures:
 *   QDQ fuses only where every output is quantized; INT4 DQ gains nothing).
 */
export type QdqHandling = 'fold' | 'onnxruntime';

export type PlanKind = 'mac' | 'elementwise' | 'free' | 'fused' | 'absorbed';

export interface LayerPlan {
  facts: LayerFacts;
  kind: PlanKind;
  /** The precision the stack asks the device for. */
  need: LayerPrecision;
  /** MACs (mac) or element operations (elementwise). */
  work: number;
  /** Weight bytes moved per inference at the precision they are stored / deployed in. */
  weightBytes: number;
  /** Bits per main-weight element as moved (sparse-index overhead is relative to it). */
  weightBits: number;
  inputBytes: number;
  outputBytes: number;
  /** Calibration key, e.g. 'conv:fp32', 'dwconv:qlinear', 'pool:int8' (see opKind). */
  opKind: string;
}

function family(f: LayerFacts): string {
  switch (f.op) {
    case 'Conv': case 'QLinearConv': case 'ConvInteger': case 'ConvTranspose':
      return f.depthwise ? 'dwconv' : 'conv';
    case 'Gemm': case 'MatMul': case 'QLinearMatMul': case 'MatMulInteger': case 'MatMulNBits':
      return 'matmul';
    case 'MaxPool': case 'AveragePool': case 'LpPool':
      return 'pool';
    case 'GlobalAveragePool': case 'GlobalMaxPool':
      return 'gpool';
    case 'QuantizeLinear':
      return 'quantize';
    case 'DequantizeLinear':
      return 'dequantize';
    default:
      return f.op.toLowerCase();
  }
}

/** Calibration key of a layer: operator family and the kernel implementation it runs. */
export function opKind(f: LayerFacts, need: LayerPrecision, impl?: 'qlinear' | 'integer' | 'nbits'): string {
  return `${family(f)}:${impl ?? describePrecision(need)}`;
}

const FLOAT32: LayerPrecision = { kind: 'float', wBits: 32, aBits: 32 };

function quantAwareInputBytes(f: LayerFacts, intBits: number | null): number {
  return f.inputs.reduce((sum, i) => {
    if (intBits !== null) return sum + Math.ceil((i.elements * intBits) / 8);
    return sum + (i.quantBits !== null ? Math.ceil((i.elements * i.quantBits) / 8) : i.bytes);
  }, 0);
}

function quantAwareOutputBytes(f: LayerFacts): number {
  return f.outputQuantBits !== null ? Math.ceil((f.outputElements * f.outputQuantBits) / 8) : f.outputBytes;
}

function storedBits(f: LayerFacts): number {
  return f.weightElements > 0 ? Math.round((f.mainWeightBytes * 8) / f.weightElements) : 32;
}

function planFold(f: LayerFacts): LayerPlan {
  const base = { facts: f, need: f.precision, work: 0, weightBytes: 0, weightBits: 32, inputBytes: 0, outputBytes: 0, opKind: '' };
  if (f.role === 'free') return { ...base, kind: 'free' };
  if (f.fusedInto !== null) return { ...base, kind: 'fused' };
  if (f.role === 'quantize' || f.role === 'dequantize') return { ...base, kind: 'absorbed' };
  const intBits = f.precision.kind === 'int' ? f.precision.aBits : null;
  const io = { inputBytes: quantAwareInputBytes(f, intBits), outputBytes: quantAwareOutputBytes(f) };
  if (f.role === 'mac') {
    let weightBytes = f.directWeightBytes + f.dqWeightBytes;
    let weightBits = storedBits(f);
    if (f.form === 'annotated') {
      // deployed at the annotated width: the main weight is packed at wBits, the rest (bias, scales) stays
      weightBytes = weightBytes - f.mainWeightBytes + Math.ceil((f.weightElements * f.precision.wBits) / 8);
      weightBits = f.precision.wBits;
    }
    return { ...base, ...io, kind: 'mac', work: f.macs, weightBytes, weightBits, opKind: opKind(f, f.precision) };
  }
  return { ...base, ...io, kind: 'elementwise', work: f.ops, weightBytes: f.directWeightBytes, opKind: opKind(f, f.precision) };
}

/** onnxruntime's CPU QDQ fusion: a complete group of 8-bit weights and activations becomes one QLinear kernel (no int4 kernels). */
export function onnxruntimeFuses(f: LayerFacts): boolean {
  return (f.form === 'qdq' && f.qdqComplete && f.precision.wBits === 8 && f.precision.aBits === 8) || f.floatWeightsInQdq === true;
}

function planOnnxruntime(f: LayerFacts, layers: readonly LayerFacts[], consumers: Map<string, number[]>, ownKernel = false): LayerPlan {
  const base = { facts: f, need: f.precision, work: 0, weightBytes: 0, weightBits: 32, inputBytes: 0, outputBytes: 0, opKind: '' };
  if (f.role === 'free') return { ...base, kind: 'free' };
  if (f.fusedInto !== null && !ownKernel) return { ...base, kind: 'fused' };
  const stored = { inputBytes: f.inputs.reduce((s, i) => s + i.bytes, 0), outputBytes: f.outputBytes };
  const readers = f.outputs.flatMap((o) => consumers.get(o) ?? []);
  if (f.role === 'dequantize' && readers.length > 0 && readers.every((r) => onnxruntimeFuses(layers[r]!))) return { ...base, kind: 'absorbed' };
  if (f.role === 'quantize') {
    const producer = f.inputs[0] ? layers.find((l) => l.outputs.includes(f.inputs[0]!.name)) : undefined;
    if (producer && onnxruntimeFuses(producer)) return { ...base, kind: 'absorbed' };
  }
  if (f.role === 'quantize' || f.role === 'dequantize') {
    // runs as a float kernel: reads / writes the stored tensors
    return { ...base, ...stored, kind: 'elementwise', need: FLOAT32, work: f.ops, weightBytes: f.directWeightBytes, opKind: opKind(f, f.precision) };
  }
  if (f.role === 'mac') {
    const mac = { ...base, kind: 'mac' as const, work: f.macs, weightBits: storedBits(f) };
    if (f.form === 'qlinear' || f.form === 'integer') {
      return { ...mac, ...stored, weightBytes: f.directWeightBytes, opKind: opKind(f, f.precision, f.form) };
    }
    if (onnxruntimeFuses(f)) {
      const io = { inputBytes: quantAwareInputBytes(f, 8), outputBytes: Math.ceil(f.outputElements) };
      // float weights of a simulated layer are quantized to int8 at load time
      const weightBytes = f.floatWeightsInQdq ? f.directWeightBytes - f.mainWeightBytes + f.weightElements : f.directWeightBytes + f.dqWeightBytes;
      const need: LayerPrecision = { kind: 'int', wBits: 8, aBits: 8 };
      return { ...mac, ...io, need, weightBytes, weightBits: 8, opKind: opKind(f, need, 'qlinear') };
    }
    if (f.form === 'nbits') {
      return { ...mac, ...stored, need: f.precision, weightBytes: f.directWeightBytes, weightBits: f.precision.wBits, opKind: opKind(f, f.precision, 'nbits') };
    }
    // float, annotated (onnxruntime runs the float graph) and QDQ that does not fuse: float kernel on dequantized weights
    const need: LayerPrecision = { kind: 'float', wBits: 32, aBits: f.precision.kind === 'float' ? f.precision.aBits : 32 };
    const weightBytes = f.directWeightBytes + f.dqWeightFloatBytes;
    return { ...mac, ...stored, need, weightBytes, weightBits: f.dqWeightFloatBytes > 0 ? 32 : storedBits(f), opKind: opKind(f, need) };
  }
  const need: LayerPrecision = f.inputs.some((i) => i.quantBits !== null && i.bytes * 8 === i.elements * i.quantBits)
    ? f.precision
    : { kind: 'float', wBits: 0, aBits: f.precision.kind === 'float' ? f.precision.aBits : 32 };
  return { ...base, ...stored, kind: 'elementwise', need, work: f.ops, weightBytes: f.directWeightBytes, opKind: opKind(f, need) };
}

/** The per-layer plan of a model on a device's software stack. */
export function planLayers(facts: ModelFacts, qdq: QdqHandling): LayerPlan[] {
  if (qdq === 'fold') return facts.layers.map(planFold);
  const consumers = new Map<string, number[]>();
  facts.layers.forEach((l) => l.inputs.forEach((i) => consumers.set(i.name, [...(consumers.get(i.name) ?? []), l.index])));
  // a DequantizeLinear of a weight is read by its MAC layer as a weight, not as an activation input
  const add = (value: string, reader: number) => consumers.set(value, [...(consumers.get(value) ?? []), reader]);
  const weightDqs = facts.layers.filter((l) => l.dequantizesWeight);
  for (const l of facts.layers) {
    if (l.role !== 'mac' || l.dqWeightBytes === 0) continue;
    for (const dq of weightDqs) if (isDqFeeding(dq, l)) add(dq.outputs[0]!, l.index);
  }
  const plans = facts.layers.map((f) => planOnnxruntime(f, facts.layers, consumers));
  const producer = new Map<string, number>();
  facts.layers.forEach((l) => l.outputs.forEach((o) => producer.set(o, l.index)));
  fuseDynamicMatMul(facts.layers, plans, consumers, producer);
  ortActivationFusion(facts.layers, plans, consumers, producer);
  return plans;
}

const FLOAT_MAC_OPS = new Set(['Conv', 'Gemm', 'MatMul', 'ConvTranspose']);

/**
 * onnxruntime's CPU fusions of activations, BatchNormalization and bias Adds
 * are narrower than the generic "fuse into the preceding MAC" of the facts:
 * - BatchNormalization folds into a float Conv only; bias Adds into a float
 *   Conv / Gemm / MatMul or a MatMulNBits; activations into a float Conv or
 *   Gemm (FusedConv, FusedGemm) — never across a Q/DQ pair that still runs,
 *   nor into QLinear*, *Integer or MatMulNBits kernels;
 * - a Relu / Clip read only by QuantizeLinear (directly or through a
 *   MaxPool) is removed (its clamp is the quantization range);
 * - everything else runs as its own element-wise kernel.
 */
function ortActivationFusion(layers: readonly LayerFacts[], plans: LayerPlan[], consumers: Map<string, number[]>, producer: Map<string, number>): void {
  const readers = (f: LayerFacts) => f.outputs.flatMap((o) => consumers.get(o) ?? []);
  // Dropout and Identity are removed before these fusions run
  const through = (f: LayerFacts): LayerFacts[] => readers(f).flatMap((i) => (layers[i]!.op === 'Dropout' || layers[i]!.op === 'Identity' ? through(layers[i]!) : [layers[i]!]));
  const onlyQuantized = (f: LayerFacts): boolean => {
    const r = through(f);
    return r.length > 0 && r.every((l) => l.role === 'quantize' || (l.op === 'MaxPool' && through(l).length > 0 && through(l).every((j) => j.role === 'quantize')));
  };
  for (const f of layers) {
    const plan = plans[f.index]!;
    if (plan.kind !== 'fused' || f.fusedInto === null) continue;
    const host = layers[f.fusedInto]!;
    const hostPlan = plans[host.index]!;
    let src = f.inputs[0]?.name;
    let p = src === undefined ? undefined : producer.get(src);
    let crossed = false;
    while (p !== undefined && (layers[p]!.role === 'quantize' || layers[p]!.role === 'dequantize')) {
      crossed = true;
      src = layers[p]!.inputs[0]?.name;
      p = src === undefined ? undefined : producer.get(src);
    }
    const floatKernel = hostPlan.kind === 'mac' && FLOAT_MAC_OPS.has(host.op) && hostPlan.opKind.endsWith(':fp32');
    const chainIntact = p === host.index || (p !== undefined && plans[p]!.kind === 'fused' && layers[p]!.fusedInto === host.index);
    let fuses: boolean;
    if (crossed || !chainIntact) fuses = false;
    else if (f.op === 'BatchNormalization') fuses = floatKernel && host.op === 'Conv';
    else if (f.op === 'Add') fuses = floatKernel || host.op === 'MatMulNBits';
    else fuses = floatKernel && host.op !== 'ConvTranspose';
    if (fuses) continue;
    if ((f.op === 'Relu' || f.op === 'Clip') && onlyQuantized(f)) plans[f.index] = { ...plan, kind: 'absorbed' };
    else plans[f.index] = planOnnxruntime(f, layers, consumers, true);
  }
}

/**
 * DynamicQuantizeLinear → MatMulInteger → Cast → Mul → Mul (→ bias Add), as
 * dynamic quantization emits it, is one DynamicQuantizeMatMul kernel in
 * onnxruntime (kind 'matmul:dynamic', float in and out). ConvInteger chains
 * are not fused: each node runs on its own.
 */
function fuseDynamicMatMul(layers: readonly LayerFacts[], plans: LayerPlan[], consumers: Map<string, number[]>, producer: Map<string, number>): void {
  const only = (value: string | undefined, op: string): LayerFacts | undefined => {
    const r = value === undefined ? [] : consumers.get(value) ?? [];
    return r.length === 1 && layers[r[0]!]!.op === op ? layers[r[0]!] : undefined;
  };
  for (const m of layers) {
    if (m.op !== 'MatMulInteger' || plans[m.index]!.kind !== 'mac') continue;
    const dIndex = m.inputs[0] ? producer.get(m.inputs[0].name) : undefined;
    const d = dIndex === undefined ? undefined : layers[dIndex]!;
    if (!d || d.op !== 'DynamicQuantizeLinear') continue;
    const cast = only(m.outputs[0], 'Cast');
    const mul = only(cast?.outputs[0], 'Mul');
    if (!cast || !mul) continue;
    const scaleMul = (consumers.get(d.outputs[1] ?? '') ?? []).map((i) => layers[i]!).find((l) => l.op === 'Mul' && mul.inputs.some((x) => l.outputs.includes(x.name)));
    const add = only(mul.outputs[0], 'Add');
    const bias = add && add.inputs.length === 1 && add.directWeightBytes > 0 ? add : undefined;
    const last = bias ?? mul;
    for (const l of [d, cast, mul, scaleMul, bias]) if (l) plans[l.index] = { ...plans[l.index]!, kind: 'absorbed', work: 0 };
    const mp = plans[m.index]!;
    plans[m.index] = {
      ...mp,
      inputBytes: d.inputs.reduce((s, i) => s + i.bytes, 0),
      outputBytes: last.outputBytes,
      weightBytes: mp.weightBytes + (bias?.directWeightBytes ?? 0),
      opKind: `${mp.opKind.split(':')[0]}:dynamic`,
    };
  }
}

function isDqFeeding(dq: LayerFacts, mac: LayerFacts): boolean {
  return dq.weightNames.some((w) => mac.weightNames.includes(w));
}

export function qdqHandling(profile: HardwareProfile): QdqHandling {
  return profile.qdq ?? 'fold';
}

