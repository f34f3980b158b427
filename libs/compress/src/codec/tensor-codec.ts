import { InvalidModelError } from '@edgefit/core';
import type { ByteReader } from './byte-io.js';
import { ByteWriter } from './byte-io.js';
import { huffmanSize, readHuffman, writeHuffman } from './huffman.js';
import { keysToRaw, type TensorKeys } from './tensor-keys.js';
import {
  affineCoding, codebookCoding, groupKindsFor, intCoding, readSymbolDecoder,
  GROUP_KINDS, VALUE_KINDS, type GroupKind, type SymbolCoding, type ValueKind,
} from './value-coding.js';

/**
 * One tensor in the manner of Deep Compression (Han et al. 2016): the
 * positions of non-background elements (the background is the most common
 * value: the pruned zero) as bounded relative offsets — a gap longer than
 * 2^bits − 1 is bridged by a filler entry holding the background value —
 * then the values as symbols (see value-coding.ts), each stream Huffman
 * coded. Every combination of index width (or dense: no index stream) and
 * value coding is costed exactly, and the smallest is written; storing the
 * raw bytes is always a candidate, so a record is never larger than them + 1.
 */

/** Index widths tried for the gap stream (Deep Compression used 8 bits for conv, 5 for fc). */
export const INDEX_BITS = [2, 3, 4, 5, 6, 8] as const;

export interface TensorPackInfo {
  encoding: 'stored' | 'coded';
  layout: 'dense' | 'sparse';
  /** Bits of a relative index (sparse layout). */
  indexBits?: number;
  values?: ValueKind;
  group?: GroupKind;
  /** Elements that differ from the background value. */
  nonBackground: number;
  /** Filler entries inserted where a gap overflowed. */
  fillers?: number;
  /** Bits a value symbol needs before entropy coding (ceil log2 of the distinct symbols). */
  valueBits?: number;
}

interface Layout {
  bits: number; // 0 = dense
  gaps: Uint32Array;
  /** Position of each entry; −1 for a filler. */
  entries: Int32Array;
  fillers: number;
}

function sparseLayout(nonBackground: Int32Array, bits: number): Layout {
  const max = 2 ** bits - 1;
  const gaps: number[] = [];
  const entries: number[] = [];
  let prev = -1;
  let fillers = 0;
  for (const p of nonBackground) {
    let gap = p - prev - 1;
    while (gap > max) {
      gaps.push(max);
      entries.push(-1);
      fillers++;
      gap -= max + 1;
    }
    gaps.push(gap);
    entries.push(p);
    prev = p;
  }
  return { bits, gaps: Uint32Array.from(gaps), entries: Int32Array.from(entries), fillers };
}

const freqOf = (alphabet: number, values: Iterable<number>) => {
  const f = new Array<number>(alphabet).fill(0);
  for (const v of values) f[v]!++;
  return f;
};

const varintBytes = (v: number) => new ByteWriter().varint(v).length;

/** Bytes of plane `b` of a key (the 4-bit types have a single plane: the nibble). */
function planeByte(key: number, b: number): number {
  return (key >>> (8 * b)) & 0xff;
}

/** Largest value (no spread: tensors have far more elements than a call has arguments). */
function maxOf(values: Uint32Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

function planeCount(t: TensorKeys): number {
  return Math.max(1, t.elementBytes);
}

/** The most frequent key (smallest on ties), from a sorted copy: faster than a Map on large tensors. */
function mostCommon(keys: Uint32Array): number {
  const sorted = Uint32Array.from(keys).sort();
  let best = sorted[0] ?? 0;
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      best = sorted[i]!;
      bestCount = j - i;
    }
    i = j;
  }
  return best;
}

interface Candidate {
  size: number;
  layout: Layout;
  coding: SymbolCoding | 'planes';
}

export function encodeTensor(t: TensorKeys, dims: readonly number[], isFloat32: boolean): { bytes: Uint8Array; info: TensorPackInfo } {
  const n = t.keys.length;
  const rawBytes = keysToRaw(t.keys, t.elementBytes, t.padNibble);
  const background = mostCommon(t.keys);
  let count = 0;
  for (const k of t.keys) if (k !== background) count++;
  const nonBackground = new Int32Array(count);
  for (let p = 0, i = 0; p < n; p++) if (t.keys[p] !== background) nonBackground[i++] = p;
  const dense: Layout = { bits: 0, gaps: new Uint32Array(0), entries: Int32Array.from({ length: n }, (_, p) => p), fillers: 0 };
  // Above half density every entry's gap costs more than marking background elements in a dense stream.
  const layouts = nonBackground.length <= n / 2 ? [dense, ...INDEX_BITS.map((b) => sparseLayout(nonBackground, b))] : [dense];
  const gapCost = layouts.map((l) => (l.bits === 0 ? 0 : varintBytes(l.entries.length) + huffmanSize(freqOf(2 ** l.bits, l.gaps))));

  // Planes last: on a tie (1-byte integers code the same either way) the symbol codings win.
  const codings: (SymbolCoding | 'planes')[] = [];
  const add = (c: SymbolCoding | undefined) => c && codings.push(c);
  add(intCoding(t, background));
  for (const g of groupKindsFor(dims)) add(affineCoding(t, background, dims, g, isFloat32));
  for (const g of groupKindsFor(dims)) add(codebookCoding(t, background, dims, g));
  codings.push('planes');

  const fixed = 1 + 1 + 1 + planeCount(t) + (t.elementBytes === 0.5 && n % 2 === 1 ? 1 : 0);
  let best: Candidate | undefined;
  for (const coding of codings) {
    // Frequencies over non-background elements once; layouts differ only in how many background entries they add.
    const streams: { freq: number[]; background: number }[] = [];
    if (coding === 'planes') {
      for (let b = 0; b < planeCount(t); b++) {
        const freq = new Array<number>(256).fill(0);
        for (const p of nonBackground) freq[planeByte(t.keys[p]!, b)]!++;
        streams.push({ freq, background: planeByte(background, b) });
      }
    } else {
      const freq = new Array<number>(maxOf(coding.symbols) + 1).fill(0);
      for (const p of nonBackground) freq[coding.symbols[p]!]!++;
      streams.push({ freq, background: 0 });
    }
    layouts.forEach((layout, li) => {
      const backgroundEntries = layout.bits === 0 ? n - nonBackground.length : layout.fillers;
      let size = fixed + (coding === 'planes' ? 0 : coding.headerBytes) + gapCost[li]!;
      for (const s of streams) {
        s.freq[s.background]! += backgroundEntries;
        size += huffmanSize(s.freq);
        s.freq[s.background]! -= backgroundEntries;
      }
      if (!best || size < best.size) best = { size, layout, coding };
    });
  }

  const info: TensorPackInfo = { encoding: 'stored', layout: 'dense', nonBackground: nonBackground.length };
  if (!best || best.size >= 1 + rawBytes.length) return { bytes: new ByteWriter().u8(0).bytes(rawBytes).finish(), info };

  const { layout, coding } = best;
  const w = new ByteWriter().u8(1).u8(layout.bits);
  const kind = coding === 'planes' ? 'planes' : coding.kind;
  const group = coding === 'planes' ? 'tensor' : coding.group;
  w.u8(VALUE_KINDS.indexOf(kind) | (GROUP_KINDS.indexOf(group) << 4));
  w.uint(background, planeCount(t));
  if (t.elementBytes === 0.5 && n % 2 === 1) w.u8(t.padNibble);
  if (coding !== 'planes') coding.writeHeader(w);
  if (layout.bits > 0) {
    w.varint(layout.entries.length);
    writeHuffman(w, layout.gaps);
  }
  const entryKey = (p: number) => (p < 0 ? background : t.keys[p]!);
  if (coding === 'planes') {
    for (let b = 0; b < planeCount(t); b++) writeHuffman(w, Array.from(layout.entries, (p) => planeByte(entryKey(p), b)));
  } else {
    writeHuffman(w, Array.from(layout.entries, (p) => (p < 0 ? 0 : coding.symbols[p]!)));
  }
  // Distinct values besides the background (−0 counts as the zero it is).
  const distinct = coding === 'planes' ? 0 : new Set(Array.from(nonBackground, (p) => coding.symbols[p]!).filter((s) => !(coding.kind === 'affine' && s === 1))).size;
  return {
    bytes: w.finish(),
    info: {
      encoding: 'coded',
      layout: layout.bits > 0 ? 'sparse' : 'dense',
      ...(layout.bits > 0 ? { indexBits: layout.bits, fillers: layout.fillers } : {}),
      values: kind,
      ...(coding !== 'planes' ? { group } : {}),
      nonBackground: nonBackground.length,
      valueBits: coding === 'planes' ? 8 * t.elementBytes : Math.max(1, Math.ceil(Math.log2(distinct + 1))),
    },
  };
}

export function decodeTensor(r: ByteReader, shape: { dims: readonly number[]; elementBytes: TensorKeys['elementBytes']; intBits: number }): Uint8Array {
  const corrupt = (why: string): never => {
    throw new InvalidModelError(`packed model is corrupt: ${why}`);
  };
  const { dims, elementBytes } = shape;
  const n = dims.reduce((a, b) => a * b, 1);
  const rawLength = Math.ceil(n * elementBytes);
  const encoding = r.u8();
  if (encoding === 0) return r.bytes(rawLength).slice();
  if (encoding !== 1) corrupt(`unknown tensor encoding ${encoding}`);
  const bits = r.u8();
  const packedKind = r.u8();
  const kind = VALUE_KINDS[packedKind & 0xf] ?? corrupt(`unknown value coding ${packedKind & 0xf}`);
  const group = GROUP_KINDS[packedKind >> 4] ?? corrupt(`unknown group kind ${packedKind >> 4}`);
  const planes = Math.max(1, elementBytes);
  const background = r.uint(planes);
  const padNibble = elementBytes === 0.5 && n % 2 === 1 ? r.u8() : 0;
  const decodeSymbol = kind === 'planes' ? undefined : readSymbolDecoder(r, kind, group, shape, dims);

  let positions: Int32Array;
  if (bits === 0) positions = Int32Array.from({ length: n }, (_, p) => p);
  else {
    if (bits > 16) corrupt(`index width ${bits}`);
    const count = r.varint();
    if (count > n) corrupt(`${count} entries in a tensor of ${n} elements`);
    const gaps = readHuffman(r, count);
    positions = new Int32Array(count);
    let prev = -1;
    for (let i = 0; i < count; i++) positions[i] = prev = prev + gaps[i]! + 1;
    if (count > 0 && prev >= n) corrupt(`entry position ${prev} past the ${n} elements`);
  }
  const keys = new Uint32Array(n).fill(background);
  if (kind === 'planes') {
    const streams = Array.from({ length: planes }, () => readHuffman(r, positions.length));
    positions.forEach((p, i) => {
      let k = 0;
      for (let b = planes - 1; b >= 0; b--) k = k * 256 + streams[b]![i]!;
      keys[p] = k;
    });
  } else {
    const symbols = readHuffman(r, positions.length);
    positions.forEach((p, i) => {
      if (symbols[i] !== 0) keys[p] = decodeSymbol!(symbols[i]!, p);
    });
  }
  return keysToRaw(keys, elementBytes, padNibble);
}
