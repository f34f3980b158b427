import type { TensorKeys } from './tensor-keys.js';
import { floatToKey, intToKey, keyToFloat, keyToInt } from './tensor-keys.js';
import { ByteWriter, type ByteReader } from './byte-io.js';
import { InvalidModelError } from '@edgefit/core';

/**
 * How the values of the non-background elements become symbols. Symbol 0
 * is always the background value (the pruned zero); the others are:
 *  - int: the integer itself, offset (quantized INT8/INT4/UINT8 weights);
 *  - affine: q with v = fround(q · scale) per channel, the float weights a
 *    quantizer leaves behind (scales stored per channel, checked exact;
 *    −0, which no q·scale gives, has a symbol of its own);
 *  - codebook: an index into a per-group table of exact values (Deep
 *    Compression's shared weights; any type, ≤ 255 values per group);
 *  - planes: no symbols — the raw bytes of each value, one entropy-coded
 *    stream per byte position (for unquantized floats: exact, and the
 *    exponent bytes still compress).
 */
export type ValueKind = 'planes' | 'int' | 'affine' | 'codebook';
export type GroupKind = 'tensor' | 'axis0' | 'last';
export const VALUE_KINDS: readonly ValueKind[] = ['planes', 'int', 'affine', 'codebook'];
export const GROUP_KINDS: readonly GroupKind[] = ['tensor', 'axis0', 'last'];

export interface SymbolCoding {
  kind: Exclude<ValueKind, 'planes'>;
  group: GroupKind;
  /** Symbol of every element (0 at background positions). */
  symbols: Uint32Array;
  writeHeader(w: ByteWriter): void;
  headerBytes: number;
}

/** Which group (channel) each position belongs to. */
export function groupOf(kind: GroupKind, dims: readonly number[]): { count: number; of: (p: number) => number } {
  const n = dims.reduce((a, b) => a * b, 1);
  if (kind === 'axis0' && dims.length >= 1 && dims[0]! > 0) {
    const inner = n / dims[0]!;
    return { count: dims[0]!, of: (p) => Math.floor(p / inner) };
  }
  if (kind === 'last' && dims.length >= 2 && dims[dims.length - 1]! > 0) {
    const last = dims[dims.length - 1]!;
    return { count: last, of: (p) => p % last };
  }
  return { count: 1, of: () => 0 };
}

/** Group kinds worth trying for a shape (last = axis0 for rank 1). */
export function groupKindsFor(dims: readonly number[]): GroupKind[] {
  return dims.length >= 2 ? ['tensor', 'axis0', 'last'] : dims.length === 1 ? ['tensor', 'axis0'] : ['tensor'];
}

function finish(kind: SymbolCoding['kind'], group: GroupKind, symbols: Uint32Array, writeHeader: (w: ByteWriter) => void): SymbolCoding {
  // Header sizes are measured by writing the header once.
  const probe = new ByteWriter();
  writeHeader(probe);
  return { kind, group, symbols, writeHeader, headerBytes: probe.length };
}

const keyBytes = (t: TensorKeys) => Math.max(1, t.elementBytes);

export function intCoding(t: TensorKeys, background: number): SymbolCoding | undefined {
  if (t.intBits === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const k of t.keys) {
    if (k === background) continue;
    const v = keyToInt(k, t.intBits);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (min === Infinity) min = max = 0;
  if (max - min > 4094) return undefined; // keep the Huffman table small; wider ints go to planes
  const symbols = Uint32Array.from(t.keys, (k) => (k === background ? 0 : keyToInt(k, t.intBits) - min + 1));
  return finish('int', 'tensor', symbols, (w) => w.svarint(min));
}

export const MAX_AFFINE_Q = 255;

/** −0: a quantizer rounding a small negative weight to q = 0 leaves it; it gets its own symbol. */
const NEG_ZERO = 0x80000000;

function scaleFits(values: Float32Array, s: number): boolean {
  for (const v of values) {
    if (Object.is(v, -0)) continue;
    const q = Math.round(v / s) + 0; // + 0 turns a −0 quotient into q = +0
    if (!(Math.abs(q) <= MAX_AFFINE_Q) || floatToKey(Math.fround(q * s)) !== floatToKey(v)) return false;
  }
  return true;
}

/** The largest float32 scale s with every value exactly fround(q · s), |q| ≤ 255; undefined if none. */
export function findScale(values: Float32Array): number | undefined {
  if (values.length === 0) return 1;
  let maxAbs = 0;
  for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return undefined;
  for (let qmax = 1; qmax <= MAX_AFFINE_Q; qmax++) {
    // The quantizer's scale is max/qmax up to rounding: try it and its float32 neighbours.
    const base = floatToKey(Math.fround(maxAbs / qmax));
    for (const d of [0, 1, -1, 2, -2]) {
      const s = keyToFloat(base + d);
      if (s > 0 && Number.isFinite(s) && scaleFits(values, s)) return s;
    }
  }
  return undefined;
}

export function affineCoding(t: TensorKeys, background: number, dims: readonly number[], group: GroupKind, isFloat32: boolean): SymbolCoding | undefined {
  if (!isFloat32) return undefined;
  const g = groupOf(group, dims);
  const members: number[][] = Array.from({ length: g.count }, () => []);
  t.keys.forEach((k, p) => k !== background && k !== NEG_ZERO && members[g.of(p)]!.push(k));
  const scales = new Float32Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const s = findScale(Float32Array.from(members[i]!, keyToFloat));
    if (s === undefined) return undefined;
    scales[i] = s;
  }
  const q = new Int32Array(t.keys.length);
  let qmin = 0;
  t.keys.forEach((k, p) => {
    if (k === background || k === NEG_ZERO) return;
    q[p] = Math.round(keyToFloat(k) / scales[g.of(p)]!);
    qmin = Math.min(qmin, q[p]!);
  });
  // 0: background, 1: −0, then q − qmin + 2.
  const symbols = Uint32Array.from(t.keys, (k, p) => (k === background ? 0 : k === NEG_ZERO ? 1 : q[p]! - qmin + 2));
  return finish('affine', group, symbols, (w) => {
    for (const s of scales) w.uint(floatToKey(s), 4);
    w.svarint(qmin);
  });
}

export function codebookCoding(t: TensorKeys, background: number, dims: readonly number[], group: GroupKind): SymbolCoding | undefined {
  const g = groupOf(group, dims);
  const books: Set<number>[] = Array.from({ length: g.count }, () => new Set());
  for (let p = 0; p < t.keys.length; p++) {
    const k = t.keys[p]!;
    if (k === background) continue;
    const book = books[g.of(p)]!;
    book.add(k);
    if (book.size > 255) return undefined;
  }
  const sorted = books.map((b) => [...b].sort((a, c) => a - c));
  const index = sorted.map((keys) => new Map(keys.map((k, i) => [k, i + 1])));
  const symbols = Uint32Array.from(t.keys, (k, p) => (k === background ? 0 : index[g.of(p)]!.get(k)!));
  const kb = keyBytes(t);
  return finish('codebook', group, symbols, (w) => {
    for (const keys of sorted) {
      w.varint(keys.length);
      for (const k of keys) w.uint(k, kb);
    }
  });
}

/** Turn decoded symbols back into keys (symbol 0 stays background). */
export function readSymbolDecoder(
  r: ByteReader,
  kind: Exclude<ValueKind, 'planes'>,
  group: GroupKind,
  t: { elementBytes: TensorKeys['elementBytes']; intBits: number },
  dims: readonly number[],
): (symbol: number, p: number) => number {
  const corrupt = (why: string): never => {
    throw new InvalidModelError(`packed model is corrupt: ${why}`);
  };
  const g = groupOf(group, dims);
  if (kind === 'int') {
    if (t.intBits === 0) corrupt('integer coding of a floating-point tensor');
    const min = r.svarint();
    return (s) => intToKey(s - 1 + min, t.intBits);
  }
  if (kind === 'affine') {
    const scales = Array.from({ length: g.count }, () => keyToFloat(r.uint(4)));
    const qmin = r.svarint();
    return (s, p) => (s === 1 ? NEG_ZERO : floatToKey(Math.fround((s - 2 + qmin) * scales[g.of(p)]!)));
  }
  const kb = Math.max(1, t.elementBytes);
  const books = Array.from({ length: g.count }, () => {
    const n = r.varint();
    if (n > 255) corrupt(`codebook of ${n} entries`);
    return Array.from({ length: n }, () => r.uint(kb));
  });
  return (s, p) => books[g.of(p)]![s - 1] ?? corrupt(`codebook symbol ${s} out of range`);
}
