import { EdgefitError } from '@edgefit/core';
import type { CostReport, onnx } from '@edgefit/onnx';
import { factsFromCostReport } from './facts-from-report.js';
import { deployedPeakActivationBytes } from './activation-memory.js';
import { extractLayerFacts, type ModelFacts } from './layer-facts.js';
import { layerCost, layerSparsity } from './layer-cost.js';
import { planLayers, qdqHandling, type LayerPlan, type PlanKind } from './layer-plan.js';
import { flashCapacity, placeWeights, ramCapacity, weightHome, type BytesAt } from './memory-placement.js';
import { loadProfile } from './profile-loader.js';
import type { DeviceClass, HardwareProfile } from './profile-schema.js';
import { resolveElementwise, resolvePrecision, type ResolvedPrecision } from './throughput.js';
import { planExecutedGraph } from './executed-plan.js';
import { priceExecutedKernels, type ExecutedKernelCost } from './executed-calibration.js';

/**
 * predictCost: latency, energy and memory fit of a model on a hardware
 * profile, layer by layer (see layer-cost.ts for one layer). Around the
 * per-layer roofline it decides where each layer runs (ops or precisions the
 * device lacks go to its fallback device and pay the host link for the
 * tensors that cross), where weights live (on-chip until full, the rest
 * streamed), and whether the model fits the device's RAM and flash.
 */
export interface PredictOptions {
  /** Batch size for symbolic batch dims (default 1). */
  batch?: number;
  /** CPU threads (default: the profile's defaultThreads, else all its cores). */
  threads?: number;
  /** Unknown ops throw (default) or are costed as zero work. */
  strict?: boolean;
  /** Finds the fallback device's profile (default: loadProfile). */
  resolveProfile?: (name: string) => HardwareProfile;
  /**
   * The graph onnxruntime executes for this model on this machine (libs/evaluate
   * executedGraph). A profile calibrated on executed graphs prices its kernels
   * for the latency; without it such a profile falls back to the model's own
   * layers, priced with the nearest calibrated kinds.
   */
  executed?: onnx.IModelProto;
}

export interface LayerPrediction {
  name: string;
  op: string;
  /** free: shape-only; fused: folded into the preceding Conv/Gemm; absorbed: Q/DQ folded into integer kernels. */
  kind: PlanKind;
  device: string;
  fallback: boolean;
  /** Precision the layer runs at here, e.g. 'fp32', 'int8', 'w2a8 bit-serial', 'int8→fp16'. */
  precision: string;
  latencyMs: number;
  computeMs: number;
  memoryMs: number;
  transferMs: number;
  overheadMs: number;
  energyMj: number;
  /** The part of energyMj spent on arithmetic (MACs by bit width, element ops). */
  computeEnergyMj: number;
  /** MACs (or element ops) performed, after sparsity. */
  work: number;
  weightBytes: number;
  activationBytes: number;
  /** Weight bytes per memory level, e.g. { sram: 1200, host: 300 }. */
  weightSource: Record<string, number>;
  bound: 'compute' | 'memory' | 'overhead' | 'calibrated' | 'none';
  /** Share of zero weights the device skipped (0 when it cannot). */
  sparsityExploited: number;
}

export interface CostPrediction {
  device: string;
  class: DeviceClass;
  batch: number;
  threads: number;
  latencyMs: number;
  energyMj: number;
  energyBreakdownMj: { compute: number; memory: number; transfer: number; static: number };
  macs: number;
  /** Weight bytes as deployed (annotated layers packed at their bit width). */
  weightBytes: number;
  peakActivationBytes: number;
  /** RAM needed: peak activations, plus the weights unless they stay in flash. */
  peakMemoryBytes: number;
  ramCapacityBytes: number;
  /** Bytes of weights to store on the device. */
  flashBytes: number;
  flashCapacityBytes: number | null;
  fits: boolean;
  reasons: string[];
  calibrated: boolean;
  /** With an executed graph and a profile calibrated on executed graphs: the latency of each kernel, which make up latencyMs. */
  executedKernels?: ExecutedKernelCost[];
  /** Why the executed graph could not be planned (the model's own layers were priced instead). */
  executedGraphError?: string;
  fallbackDevice: string | null;
  fallbackLayers: number;
  perLayer: LayerPrediction[];
}

function opSupported(p: HardwareProfile, op: string): boolean {
  if (p.operators.unsupported?.includes(op)) return false;
  return !p.operators.supported || p.operators.supported.includes(op);
}

/** How the layer runs on the device, or null when it cannot. */
function runsOn(p: HardwareProfile, plan: LayerPlan): ResolvedPrecision | null {
  if (!opSupported(p, plan.facts.op)) return null;
  return plan.kind === 'mac' ? resolvePrecision(p, plan.need) : resolveElementwise(p, plan.need);
}

const costed = (plan: LayerPlan) => plan.kind === 'mac' || plan.kind === 'elementwise';

function fmtBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Weight bytes as deployed: annotated layers' main weights packed at their bit width. */
function deployedWeightBytes(facts: ModelFacts, plans: readonly LayerPlan[]): number {
  let bytes = facts.cost.weightBytes;
  for (const plan of plans) {
    const f = plan.facts;
    if (f.form === 'annotated' && plan.kind === 'mac' && plan.weightBits < 32) bytes -= f.mainWeightBytes - Math.ceil((f.weightElements * plan.weightBits) / 8);
  }
  return Math.max(0, bytes);
}

/** What predictCost accepts: a model, facts extracted once for many devices, or analyzeCost's report (coarser: no graph to read precisions from). */
export type CostInput = onnx.IModelProto | ModelFacts | CostReport;

function toFacts(input: CostInput, opts: PredictOptions): ModelFacts {
  if ('graph' in input && input.graph) return extractLayerFacts(input, { batch: opts.batch ?? 1, strict: opts.strict ?? true });
  if ('cost' in input && 'batch' in input) return input as ModelFacts;
  return factsFromCostReport(input as CostReport, opts.batch ?? 1);
}

/**
 * Predict a model's cost on a device. With ModelFacts or a CostReport the
 * batch is the one they were computed at (opts.batch is ignored).
 */
export function predictCost(input: CostInput, profile: HardwareProfile, opts: PredictOptions = {}): CostPrediction {
  const facts = toFacts(input, opts);
  const batch = facts.batch;
  const threads = opts.threads ?? profile.defaultThreads ?? profile.cores ?? 1;
  const resolveProfile = opts.resolveProfile ?? ((name: string) => loadProfile(name));
  const mainPlans = planLayers(facts, qdqHandling(profile));
  const reasons: string[] = [];

  // 1. where each layer runs
  const fbSpec = profile.operators.fallback;
  let fallback: HardwareProfile | null = null;
  let fbPlans: LayerPlan[] | null = null;
  const getFallback = (): HardwareProfile | null => {
    if (!fbSpec) return null;
    if (!fallback) {
      fallback = resolveProfile(fbSpec.device);
      fbPlans = planLayers(facts, qdqHandling(fallback));
    }
    return fallback;
  };
  const onFallback: boolean[] = mainPlans.map(() => false);
  const resolved: (ResolvedPrecision | null)[] = mainPlans.map(() => null);
  let rest = false;
  mainPlans.forEach((plan, i) => {
    if (!costed(plan)) {
      if (plan.kind === 'fused') onFallback[i] = onFallback[plan.facts.fusedInto!] ?? false;
      else onFallback[i] = rest;
      return;
    }
    const here = rest ? null : runsOn(profile, plan);
    if (here) {
      resolved[i] = here;
      return;
    }
    const fb = getFallback();
    const fbPlan = fbPlans?.[i];
    const there = fb && fbPlan ? (costed(fbPlan) ? runsOn(fb, fbPlan) : null) : null;
    if (fb && fbPlan && (there || !costed(fbPlan))) {
      onFallback[i] = true;
      resolved[i] = there;
      if (fbSpec!.scope === 'rest') rest = true;
      return;
    }
    reasons.push(`layer '${plan.facts.name}' (${plan.facts.op}, ${plan.opKind}) cannot run on ${profile.name}${fbSpec ? ` nor on its fallback ${fbSpec.device}` : ' and it has no fallback device'}`);
  });
  const planOf = (i: number): LayerPlan => (onFallback[i] ? fbPlans![i]! : mainPlans[i]!);

  // 2. weight placement per device, with the sparsity each device exploits
  const peakAct = deployedPeakActivationBytes(facts, mainPlans, qdqHandling(profile) === 'fold');
  const sparsity = mainPlans.map((_, i) => layerSparsity(onFallback[i] ? fallback! : profile, planOf(i)));
  const place = (device: HardwareProfile, mine: (i: number) => boolean): BytesAt[][] =>
    placeWeights(device, mainPlans.map((_, i) => (mine(i) && costed(planOf(i)) ? planOf(i).weightBytes * sparsity[i]!.weightByteFactor : 0)), peakAct);
  const mainParts = place(profile, (i) => !onFallback[i]);
  const fbParts = fallback ? place(fallback, (i) => onFallback[i]!) : null;

  // 3. per-layer costs, tensor locations and host-link transfers
  const link = profile.hostLink;
  const location = new Map<string, Set<'device' | 'host'>>();
  for (const input of facts.graphInputs) location.set(input.name, new Set([link ? 'host' : 'device']));
  const transfer = (bytes: number) => (link ? { ms: (bytes / link.bytesPerSecond) * 1e3, mj: bytes * link.energyPjPerByte * 1e-9 } : { ms: 0, mj: 0 });
  const bytesOf = (i: { elements: number; bytes: number; quantBits: number | null }) => (i.quantBits !== null ? Math.ceil((i.elements * i.quantBits) / 8) : i.bytes);

  const energy = { compute: 0, memory: 0, transfer: 0, static: 0 };
  const perLayer: LayerPrediction[] = mainPlans.map((_, i) => {
    const plan = planOf(i);
    const fb = onFallback[i]!;
    const device = fb ? fallback! : profile;
    const where: 'device' | 'host' = fb ? 'host' : 'device';
    const f = plan.facts;
    const base: LayerPrediction = {
      name: f.name, op: f.op, kind: plan.kind, device: device.name, fallback: fb, precision: '-',
      latencyMs: 0, computeMs: 0, memoryMs: 0, transferMs: 0, overheadMs: 0, energyMj: 0, computeEnergyMj: 0, work: 0,
      weightBytes: 0, activationBytes: 0, weightSource: {}, bound: 'none', sparsityExploited: 0,
    };
    if (!costed(plan) || !resolved[i]) {
      // aliases and folded nodes: outputs live where their input lives
      const src = f.inputs[0] ? location.get(f.inputs[0].name) : undefined;
      for (const o of f.outputs) location.set(o, new Set(src ?? [where]));
      return base;
    }
    let xfer = { ms: 0, mj: 0 };
    for (const input of f.inputs) {
      const at = location.get(input.name) ?? new Set([where]);
      if (!at.has(where)) {
        const t = transfer(bytesOf(input));
        xfer = { ms: xfer.ms + t.ms, mj: xfer.mj + t.mj };
        at.add(where);
        location.set(input.name, at);
      }
    }
    for (const o of f.outputs) location.set(o, new Set([where]));
    const parts = (fb ? fbParts! : mainParts)[i]!;
    const c = layerCost(device, plan, resolved[i]!, parts, sparsity[i]!, threads);
    const latencyMs = c.latencyMs + xfer.ms;
    const layerStatic = (profile.staticPowerW + (fb ? device.staticPowerW : 0)) * latencyMs; // W·ms = mJ
    energy.compute += c.computeMj;
    energy.memory += c.memoryMj;
    energy.transfer += xfer.mj;
    energy.static += layerStatic;
    const weightSource: Record<string, number> = {};
    for (const p of parts) weightSource[p.level.name] = (weightSource[p.level.name] ?? 0) + p.bytes;
    return {
      ...base,
      precision: resolved[i]!.label,
      latencyMs,
      computeMs: c.computeMs,
      memoryMs: c.memoryMs,
      transferMs: xfer.ms,
      overheadMs: c.overheadMs,
      energyMj: c.computeMj + c.memoryMj + xfer.mj + layerStatic,
      computeEnergyMj: c.computeMj,
      work: c.work,
      weightBytes: c.weightBytes,
      activationBytes: c.activationBytes,
      weightSource,
      bound: c.bound,
      sparsityExploited: c.sparsity.exploited ? c.sparsity.zeroFraction : 0,
    };
  });

  // graph outputs go back to the host over the link; a calibrated run pays its fixed per-inference cost once
  let fixedMs = 0;
  if (link) {
    for (const out of facts.graphOutputs) {
      if (!(location.get(out.name)?.has('host') ?? false)) {
        const t = transfer(bytesOf(out));
        fixedMs += t.ms;
        energy.transfer += t.mj;
      }
    }
  }
  const anyFallback = onFallback.some((x, i) => x && costed(planOf(i)));
  fixedMs += profile.calibration?.runOverheadMs ?? 0;
  if (anyFallback) fixedMs += (fallback as HardwareProfile | null)?.calibration?.runOverheadMs ?? 0;
  energy.static += profile.staticPowerW * fixedMs;
  let latencyMs = perLayer.reduce((s, l) => s + l.latencyMs, 0) + fixedMs;
  const cal = profile.calibration;
  let executedKernels: ExecutedKernelCost[] | undefined;
  let executedGraphError: string | undefined;
  if (opts.executed && cal?.graph === 'executed') {
    try {
      executedKernels = priceExecutedKernels(planExecutedGraph(opts.executed, batch), cal);
    } catch (err) {
      // a kernel onnxruntime fused that we have no shape rule for: price the model's own layers instead, and say so
      if (!(err instanceof EdgefitError)) throw err;
      executedGraphError = err.message;
    }
  }
  if (executedKernels) {
    latencyMs = executedKernels.reduce((s, k) => s + k.latencyMs, 0) + cal!.runOverheadMs;
    energy.static = profile.staticPowerW * latencyMs;
  }
  const energyMj = energy.compute + energy.memory + energy.transfer + energy.static;

  // 4. memory fit
  const weightBytes = deployedWeightBytes(facts, mainPlans);
  const home = weightHome(profile);
  const peakMemoryBytes = peakAct + (home.kind === 'flash' ? 0 : weightBytes);
  const ram = ramCapacity(profile);
  const flashCap = flashCapacity(profile);
  if (peakMemoryBytes > ram) {
    reasons.push(`needs ${fmtBytes(peakMemoryBytes)} of RAM (${fmtBytes(peakAct)} activations${home.kind === 'flash' ? '' : ` + ${fmtBytes(weightBytes)} weights`}) but ${profile.name} has ${fmtBytes(ram)}`);
  }
  if (flashCap !== null && weightBytes > flashCap) {
    reasons.push(`weights take ${fmtBytes(weightBytes)} but ${profile.name} has ${fmtBytes(flashCap)} of flash`);
  }
  return {
    device: profile.name,
    class: profile.class,
    batch,
    threads,
    latencyMs,
    energyMj,
    energyBreakdownMj: energy,
    macs: facts.cost.macs,
    weightBytes,
    peakActivationBytes: peakAct,
    peakMemoryBytes,
    ramCapacityBytes: ram,
    flashBytes: weightBytes,
    flashCapacityBytes: flashCap,
    fits: reasons.length === 0,
    reasons,
    calibrated: !!profile.calibration,
    ...(executedKernels ? { executedKernels } : {}),
    ...(executedGraphError ? { executedGraphError } : {}),
    fallbackDevice: anyFallback ? fbSpec!.device : null,
    fallbackLayers: onFallback.filter((x, i) => x && costed(planOf(i))).length,
    perLayer,
  };
}
