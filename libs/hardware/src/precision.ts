/**
 * Numeric precisions a device can compute in, and how a layer's bit widths
 * map onto them. A layer states what it needs (float or integer, weight bits,
 * activation bits); a profile states what it offers; `resolvePrecision` in
 * the cost model joins the two.
 */
export const PRECISIONS = ['fp64', 'fp32', 'fp16', 'bf16', 'int16', 'int8', 'int4', 'int2', 'binary'] as const;
export type Precision = (typeof PRECISIONS)[number];

export const PRECISION_BITS: Readonly<Record<Precision, number>> = {
  fp64: 64,
  fp32: 32,
  fp16: 16,
  bf16: 16,
  int16: 16,
  int8: 8,
  int4: 4,
  int2: 2,
  binary: 1,
};

export function isFloatPrecision(p: Precision): boolean {
  return p === 'fp64' || p === 'fp32' || p === 'fp16' || p === 'bf16';
}

/** Integer precisions from narrowest to widest: a layer promotes upward along this list. */
export const INT_LADDER: readonly Precision[] = ['binary', 'int2', 'int4', 'int8', 'int16'];
/** Float precisions from narrowest to widest. */
export const FLOAT_LADDER: readonly Precision[] = ['fp16', 'bf16', 'fp32', 'fp64'];

/** The narrowest integer precision holding `bits` bits (1 → binary, 3 → int4, 9 → int16); null above 16. */
export function intPrecisionFor(bits: number): Precision | null {
  return INT_LADDER.find((p) => PRECISION_BITS[p] >= bits) ?? null;
}

/** The float precision of a stored float width (16 → fp16, 64 → fp64, anything else fp32). */
export function floatPrecisionFor(bits: number): Precision {
  return bits === 16 ? 'fp16' : bits === 64 ? 'fp64' : 'fp32';
}

/** What a layer asks for: integer arithmetic at (wBits, aBits), or float at aBits. */
export interface LayerPrecision {
  kind: 'float' | 'int';
  /** Bits per weight element as the layer stores / runs them (0 when it has no weights). */
  wBits: number;
  /** Bits per activation element the layer computes on. */
  aBits: number;
}

export function describePrecision(p: LayerPrecision): string {
  if (p.kind === 'float') return floatPrecisionFor(p.aBits);
  return p.wBits === p.aBits || p.wBits === 0 ? `int${p.aBits}` : `w${p.wBits}a${p.aBits}`;
}
