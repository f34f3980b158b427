import type { HardwareProfile } from './profile-schema.js';
import {
  FLOAT_LADDER,
  INT_LADDER,
  PRECISION_BITS,
  describePrecision,
  floatPrecisionFor,
  intPrecisionFor,
  type LayerPrecision,
  type Precision,
} from './precision.js';

/**
 * Which precision a layer really runs at on a device, and how fast. An
 * integer layer runs at its own width if supported, else at the next wider
 * integer width, else dequantized in float; a float layer runs in float.
 * Bit-serial engines run any width up to their maximum, at a rate inversely
 * proportional to ceil(w/step)·ceil(a/step).
 */
export interface ResolvedPrecision {
  precision: Precision;
  /** MACs (or element ops) per second at this precision, before utilization and efficiency. */
  perSecond: number;
  /** e.g. 'int8', 'w2a8 bit-serial', 'int8→fp16'. */
  label: string;
  /** Bit-serial steps of one MAC (1 otherwise). */
  steps: number;
  bitSerial: boolean;
}

function supported(p: HardwareProfile, prec: Precision): boolean {
  return p.supportedPrecisions.includes(prec) && p.peakMacsPerSecond[prec] !== undefined;
}

function fastestFloat(p: HardwareProfile): Precision | null {
  let best: Precision | null = null;
  for (const prec of FLOAT_LADDER) {
    if (supported(p, prec) && (best === null || p.peakMacsPerSecond[prec]! > p.peakMacsPerSecond[best]!)) best = prec;
  }
  return best;
}

export function resolvePrecision(p: HardwareProfile, need: LayerPrecision): ResolvedPrecision | null {
  const wanted = describePrecision(need);
  if (need.kind === 'int') {
    const w = need.wBits > 0 ? need.wBits : need.aBits;
    const a = need.aBits;
    const widest = Math.max(w, a);
    const bs = p.bitSerial;
    if (bs && widest <= bs.maxBits) {
      const steps = Math.ceil(w / bs.stepBits) * Math.ceil(a / bs.stepBits);
      const prec = intPrecisionFor(widest) ?? 'int16';
      if (p.supportedPrecisions.includes(prec) || p.supportedPrecisions.some((s) => INT_LADDER.includes(s) && PRECISION_BITS[s] >= widest)) {
        return { precision: prec, perSecond: bs.macsPerSecondAtStep / steps, label: `${wanted} bit-serial`, steps, bitSerial: true };
      }
    }
    const start = intPrecisionFor(widest);
    if (start !== null) {
      for (const prec of INT_LADDER.slice(INT_LADDER.indexOf(start))) {
        if (supported(p, prec)) return { precision: prec, perSecond: p.peakMacsPerSecond[prec]!, label: prec === start ? wanted : `${wanted}→${prec}`, steps: 1, bitSerial: false };
      }
    }
    const f = fastestFloat(p);
    return f ? { precision: f, perSecond: p.peakMacsPerSecond[f]!, label: `${wanted}→${f}`, steps: 1, bitSerial: false } : null;
  }
  const exact = floatPrecisionFor(need.aBits);
  if (supported(p, exact)) return { precision: exact, perSecond: p.peakMacsPerSecond[exact]!, label: exact, steps: 1, bitSerial: false };
  const f = fastestFloat(p);
  return f ? { precision: f, perSecond: p.peakMacsPerSecond[f]!, label: `${exact}→${f}`, steps: 1, bitSerial: false } : null;
}

/**
 * Rate of element-wise work (activations, pooling, Q/DQ). A profile may give
 * a separate vector rate (e.g. the ARM cores beside an FPGA overlay); then any
 * precision runs. Otherwise the MAC rate at the resolved precision is used.
 */
export function resolveElementwise(p: HardwareProfile, need: LayerPrecision): ResolvedPrecision | null {
  if (p.elementwiseOpsPerSecond !== undefined) {
    const label = describePrecision({ ...need, wBits: 0 });
    const prec = need.kind === 'int' ? intPrecisionFor(need.aBits) ?? 'int16' : floatPrecisionFor(need.aBits);
    return { precision: prec, perSecond: p.elementwiseOpsPerSecond, label, steps: 1, bitSerial: false };
  }
  return resolvePrecision(p, { ...need, wBits: 0 });
}
