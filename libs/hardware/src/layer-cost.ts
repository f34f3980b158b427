import { utilization } from './device-classes.js';
import { HOROWITZ_45NM, layerMacEnergy, scaleToNode } from './energy.js';
import type { LayerPlan } from './layer-plan.js';
import { correctionFactor, shapeFeatures } from './local-correction.js';
import { activationLevel, type BytesAt } from './memory-placement.js';
import type { HardwareProfile } from './profile-schema.js';
import { sparsityEffect, type SparsityEffect } from './sparsity.js';
import type { ResolvedPrecision } from './throughput.js';

/**
 * Cost of one layer on one device: a roofline — the larger of compute time
 * (work at the precision it really runs, over the usable peak) and memory
 * time (bytes from the level that serves them, over its bandwidth) — plus
 * the device's per-layer overhead. A calibrated profile replaces the roofline
 * for the operator kinds it has measured (intercept + per-MAC + per-byte).
 */
export interface LayerCostResult {
  computeMs: number;
  memoryMs: number;
  overheadMs: number;
  latencyMs: number;
  /** Dynamic energy (compute + memory), mJ; static power is added by the caller. */
  computeMj: number;
  memoryMj: number;
  /** Work actually performed (after sparsity). */
  work: number;
  weightBytes: number;
  activationBytes: number;
  bound: 'compute' | 'memory' | 'overhead' | 'calibrated';
  calibrated: boolean;
  sparsity: SparsityEffect;
}

/** Sparsity effect of a layer on the device (MAC layers only). */
export function layerSparsity(profile: HardwareProfile, plan: LayerPlan): SparsityEffect {
  if (plan.kind !== 'mac') return { macFactor: 1, weightByteFactor: 1, zeroFraction: 0, exploited: false };
  return sparsityEffect(profile, plan.facts.weights, plan.weightBits);
}

/** Energy of one element-wise operation: an add at the layer's width (Horowitz). */
function elementwiseEnergy45(resolved: ResolvedPrecision): number {
  switch (resolved.precision) {
    case 'fp64': return 2 * HOROWITZ_45NM.fp32Add;
    case 'fp32': return HOROWITZ_45NM.fp32Add;
    case 'fp16': case 'bf16': return HOROWITZ_45NM.fp16Add;
    case 'int16': return HOROWITZ_45NM.int16Add;
    default: return HOROWITZ_45NM.int8Add;
  }
}

function macEnergyPj(profile: HardwareProfile, plan: LayerPlan, resolved: ResolvedPrecision): number {
  const given = profile.energyPjPerMac?.[resolved.precision];
  if (resolved.bitSerial && profile.bitSerial?.energyPjPerStepMac !== undefined) return resolved.steps * profile.bitSerial.energyPjPerStepMac;
  if (given !== undefined && !resolved.bitSerial) return given;
  return layerMacEnergy(resolved.precision, plan.need, profile.processNm);
}

/**
 * The calibrated coefficients for a layer: its own operator kind, else (a
 * kind the micro-benchmarks do not cover) the fp32 kernel of the same family,
 * else for element-wise work the generic element-wise kinds (a broadcast Add,
 * then Relu) — a calibrated profile should not drop back to the uncalibrated
 * roofline for one rare element-wise node.
 */
export function calibratedCoefficients(profile: HardwareProfile, plan: LayerPlan): NonNullable<HardwareProfile['calibration']>['ops'][string] | undefined {
  const ops = profile.calibration?.ops;
  if (!ops) return undefined;
  const family = plan.opKind.split(':')[0]!;
  const candidates = [plan.opKind, `${family}:fp32`, ...(plan.kind === 'elementwise' ? ['add:fp32', 'relu:fp32'] : [])];
  for (const k of candidates) if (ops[k]) return ops[k];
  return undefined;
}

export function layerCost(
  profile: HardwareProfile,
  plan: LayerPlan,
  resolved: ResolvedPrecision,
  weightParts: readonly BytesAt[],
  sparsity: SparsityEffect,
  threads: number,
): LayerCostResult {
  const eff = profile.efficiency ?? { compute: 1, memory: 1 };
  const util = utilization({ profile, plan, threads });
  const work = plan.work * sparsity.macFactor;
  const computeMs = work > 0 ? (work / (resolved.perSecond * util * eff.compute)) * 1e3 : 0;
  const weightBytes = weightParts.reduce((s, p) => s + p.bytes, 0);
  const activationBytes = plan.inputBytes + plan.outputBytes;
  const actLevel = activationLevel(profile, activationBytes);
  const memorySeconds = weightParts.reduce((s, p) => s + p.bytes / p.level.bandwidthBytesPerSecond, 0) + activationBytes / actLevel.bandwidthBytesPerSecond;
  const memoryMs = (memorySeconds / eff.memory) * 1e3;
  const memoryPj = weightParts.reduce((s, p) => s + p.bytes * p.level.energyPjPerByte, 0) + activationBytes * actLevel.energyPjPerByte;
  const opPj = plan.kind === 'mac' ? macEnergyPj(profile, plan, resolved) : scaleToNode(elementwiseEnergy45(resolved), profile.processNm);
  const computeMj = work * opPj * 1e-9;
  const memoryMj = memoryPj * 1e-9;

  const cal = calibratedCoefficients(profile, plan);
  if (cal) {
    // the law, scaled by how it missed the benchmarks nearest in shape
    const local = correctionFactor(cal.local, shapeFeatures(plan));
    const c = cal.msPerMac * work * local;
    const m = (cal.msPerByte * (weightBytes + activationBytes) + (cal.msPerOutputByte ?? 0) * plan.outputBytes) * local;
    const overhead = cal.interceptMs * local;
    return { computeMs: c, memoryMs: m, overheadMs: overhead, latencyMs: overhead + c + m, computeMj, memoryMj, work, weightBytes, activationBytes, bound: 'calibrated', calibrated: true, sparsity };
  }
  const overheadMs = profile.overheadPerLayerUs / 1e3;
  const roof = Math.max(computeMs, memoryMs);
  const bound = overheadMs > roof ? 'overhead' : computeMs >= memoryMs ? 'compute' : 'memory';
  return { computeMs, memoryMs, overheadMs, latencyMs: roof + overheadMs, computeMj, memoryMj, work, weightBytes, activationBytes, bound, calibrated: false, sparsity };
}
