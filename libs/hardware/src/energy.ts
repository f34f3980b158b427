import type { LayerPrecision, Precision } from './precision.js';

/**
 * Energy per operation and per byte from Horowitz, "Computing's energy
 * problem (and what we can do about it)", ISSCC 2014 — 45 nm, 0.9 V.
 * Profiles that state a process node scale the on-chip figures linearly:
 *
 *     E(node) = E(45 nm) × node / 45
 *
 * (switched capacitance shrinks with the feature size while the supply has
 * stayed near 0.9 V since 45 nm, so C·V² falls roughly linearly). Off-chip
 * DRAM, flash and host links do not follow the logic node and are not scaled.
 */
export const HOROWITZ_45NM = {
  int8Add: 0.03,
  int16Add: 0.05,
  int32Add: 0.1,
  fp16Add: 0.4,
  fp32Add: 0.9,
  int8Mult: 0.2,
  int32Mult: 3.1,
  fp16Mult: 1.1,
  fp32Mult: 3.7,
  /** 32-bit read from an 8 KB SRAM array. */
  sram8KbRead32: 5,
  /** 32-bit DRAM read. */
  dramRead32: 640,
} as const;

export const HOROWITZ_NODE_NM = 45;

export function scaleToNode(pj45: number, processNm: number | undefined): number {
  return processNm === undefined ? pj45 : (pj45 * processNm) / HOROWITZ_NODE_NM;
}

/**
 * Energy of one integer MAC at 45 nm: an array multiplier's energy grows with
 * the product of the operand widths (Horowitz 8-bit multiply 0.2 pJ for 8×8;
 * Bit Fusion's premise), plus an accumulator add whose width grows with the
 * operands (32 bits for 8×8: 0.1 pJ; the 32-bit add scaled by width below).
 */
export function intMacEnergy45(wBits: number, aBits: number): number {
  const mult = (HOROWITZ_45NM.int8Mult * wBits * aBits) / 64;
  const accBits = Math.min(32, wBits + aBits + 16);
  return mult + (HOROWITZ_45NM.int32Add * accBits) / 32;
}

/** Energy of one MAC at 45 nm for a named precision (multiply + accumulate). */
export function macEnergy45(prec: Precision): number {
  const H = HOROWITZ_45NM;
  switch (prec) {
    case 'fp64': return 4 * (H.fp32Mult + H.fp32Add); // assumed: not in Horowitz's table; multiplier area ~ mantissa² ≈ 4.9× fp32
    case 'fp32': return H.fp32Mult + H.fp32Add; // 4.6 pJ
    case 'fp16':
    case 'bf16': return H.fp16Mult + H.fp16Add; // 1.5 pJ (bf16 assumed equal to fp16)
    case 'int16': return intMacEnergy45(16, 16);
    case 'int8': return intMacEnergy45(8, 8); // 0.3 pJ
    case 'int4': return intMacEnergy45(4, 4);
    case 'int2': return intMacEnergy45(2, 2);
    case 'binary': return intMacEnergy45(1, 1);
  }
}

/** Energy of one MAC of a layer at the precision it runs on the device (pJ, at the device's node). */
export function layerMacEnergy(prec: Precision, layer: LayerPrecision, processNm: number | undefined): number {
  const pj45 = layer.kind === 'int' && layer.wBits > 0 && !prec.startsWith('fp') && prec !== 'bf16'
    ? intMacEnergy45(Math.max(layer.wBits, 1), Math.max(layer.aBits, 1))
    : macEnergy45(prec);
  return scaleToNode(pj45, processNm);
}

/**
 * On-chip SRAM energy per byte by array size at 45 nm. Secondary figures per
 * 64-bit access (8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ; Horowitz via Gholami
 * et al.) follow E ∝ √size: 1.25 pJ/B × √(size / 8 KB).
 */
export function sramEnergyPerByte45(sizeBytes: number): number {
  return 1.25 * Math.sqrt(Math.max(sizeBytes, 8192) / 8192);
}

/** DRAM: 640 pJ per 32-bit read = 160 pJ/byte (not scaled by the logic node). */
export const DRAM_PJ_PER_BYTE = HOROWITZ_45NM.dramRead32 / 4;
