import { InvalidModelError } from '@edgefit/core';
import { BitReader, BitWriter } from './bit-io.js';
import { ByteWriter, type ByteReader } from './byte-io.js';

/**
 * Canonical, length-limited Huffman coding (the entropy stage of Deep
 * Compression). Only code lengths are stored — 4 bits per symbol of the
 * alphabet — and codes are rebuilt canonically on both sides. Lengths are
 * capped at 15 bits by halving the frequencies until the tree is shallow
 * enough (costs a fraction of a percent on skewed streams, keeps the table
 * small and the decoder simple).
 */
export const MAX_CODE_LENGTH = 15;

function treeLengths(freqs: readonly number[]): Uint8Array {
  const lengths = new Uint8Array(freqs.length);
  const used = freqs.flatMap((f, s) => (f > 0 ? [s] : [])).sort((a, b) => freqs[a]! - freqs[b]! || a - b);
  if (used.length === 1) lengths[used[0]!] = 1;
  if (used.length <= 1) return lengths;
  // Two-queue construction: leaves sorted by weight, internal nodes are created in weight order.
  const k = used.length;
  const weight = new Float64Array(2 * k - 1);
  const parent = new Int32Array(2 * k - 1);
  used.forEach((s, i) => (weight[i] = freqs[s]!));
  let leaf = 0;
  let inner = k;
  let next = k;
  const take = (): number => (leaf < k && (inner >= next || weight[leaf]! <= weight[inner]!) ? leaf++ : inner++);
  while (next < 2 * k - 1) {
    const a = take();
    const b = take();
    weight[next] = weight[a]! + weight[b]!;
    parent[a] = parent[b] = next++;
  }
  const depth = new Uint8Array(2 * k - 1);
  for (let i = 2 * k - 3; i >= 0; i--) depth[i] = depth[parent[i]!]! + 1;
  used.forEach((s, i) => (lengths[s] = depth[i]!));
  return lengths;
}

/** Code length per symbol (0 = unused), none longer than `maxLen`. */
export function huffmanLengths(freqs: ArrayLike<number>, maxLen = MAX_CODE_LENGTH): Uint8Array {
  let f = Array.from(freqs);
  for (;;) {
    const lengths = treeLengths(f);
    if (lengths.every((l) => l <= maxLen)) return lengths;
    f = f.map((v) => (v === 0 ? 0 : Math.max(1, Math.floor(v / 2))));
  }
}

/** Canonical code words: shorter codes first, ties by symbol. */
export function canonicalCodes(lengths: Uint8Array): Uint32Array {
  const codes = new Uint32Array(lengths.length);
  const order = Array.from(lengths.keys()).filter((s) => lengths[s]! > 0).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  let code = 0;
  let prev = 0;
  for (const s of order) {
    code <<= lengths[s]! - prev;
    prev = lengths[s]!;
    codes[s] = code++;
  }
  return codes;
}

function frequencies(symbols: ArrayLike<number>): number[] {
  let max = -1;
  for (let i = 0; i < symbols.length; i++) max = Math.max(max, symbols[i]!);
  const freqs = new Array<number>(max + 1).fill(0);
  for (let i = 0; i < symbols.length; i++) freqs[symbols[i]!]!++;
  return freqs;
}

const varintSize = (v: number) => new ByteWriter().varint(v).length;

/** Exact size in bytes of writeHuffman's output for symbols with these frequencies. */
export function huffmanSize(freqs: readonly number[]): number {
  let alphabet = freqs.length;
  while (alphabet > 0 && freqs[alphabet - 1] === 0) alphabet--;
  if (alphabet === 0) return 1;
  const used = freqs.filter((f) => f > 0).length;
  if (used === 1) return varintSize(alphabet) + 1 + varintSize(freqs.findIndex((f) => f > 0));
  const lengths = huffmanLengths(freqs.slice(0, alphabet));
  let bits = 0;
  for (let s = 0; s < alphabet; s++) bits += freqs[s]! * lengths[s]!;
  const payload = Math.ceil(bits / 8);
  return varintSize(alphabet) + 1 + Math.ceil(alphabet / 2) + varintSize(payload) + payload;
}

export function huffmanSizeOf(symbols: ArrayLike<number>): number {
  return huffmanSize(frequencies(symbols));
}

/**
 * Stream layout: varint alphabet size A (0 = no symbols); kind byte;
 * kind 0: one symbol repeated (varint symbol, no payload); kind 1: A code
 * lengths as nibbles, varint payload length, payload bits (MSB first).
 * The symbol count is not stored: the container knows it.
 */
export function writeHuffman(out: ByteWriter, symbols: ArrayLike<number>): void {
  const freqs = frequencies(symbols);
  const alphabet = freqs.length;
  out.varint(alphabet);
  if (alphabet === 0) return;
  const used = freqs.filter((f) => f > 0).length;
  if (used === 1) {
    out.u8(0).varint(freqs.findIndex((f) => f > 0));
    return;
  }
  const lengths = huffmanLengths(freqs);
  const codes = canonicalCodes(lengths);
  out.u8(1);
  for (let s = 0; s < alphabet; s += 2) out.u8(lengths[s]! | ((lengths[s + 1] ?? 0) << 4));
  let bits = 0;
  for (let s = 0; s < alphabet; s++) bits += freqs[s]! * lengths[s]!;
  const w = new BitWriter(bits);
  for (let i = 0; i < symbols.length; i++) w.write(codes[symbols[i]!]!, lengths[symbols[i]!]!);
  const payload = w.finish();
  out.varint(payload.length).bytes(payload);
}

export function readHuffman(r: ByteReader, count: number): Uint32Array {
  const out = new Uint32Array(count);
  const alphabet = r.varint();
  if (alphabet === 0) {
    if (count > 0) throw new InvalidModelError('packed model is corrupt: an empty stream must hold symbols');
    return out;
  }
  const kind = r.u8();
  if (kind === 0) return out.fill(r.varint());
  if (kind !== 1) throw new InvalidModelError(`packed model is corrupt: unknown Huffman stream kind ${kind}`);
  const lengths = new Uint8Array(alphabet);
  for (let s = 0; s < alphabet; s += 2) {
    const b = r.u8();
    lengths[s] = b & 0xf;
    if (s + 1 < alphabet) lengths[s + 1] = b >>> 4;
  }
  // Canonical decoding: per length, the first code and where its symbols start in the sorted list.
  const sorted = Array.from(lengths.keys()).filter((s) => lengths[s]! > 0).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const countOf = new Int32Array(MAX_CODE_LENGTH + 1);
  for (const s of sorted) countOf[lengths[s]!]!++;
  const first = new Int32Array(MAX_CODE_LENGTH + 2);
  const start = new Int32Array(MAX_CODE_LENGTH + 2);
  let code = 0;
  let index = 0;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    first[len] = code;
    start[len] = index;
    code = (code + countOf[len]!) << 1;
    index += countOf[len]!;
  }
  const payload = r.bytes(r.varint());
  const bits = new BitReader(payload);
  for (let i = 0; i < count; i++) {
    let c = 0;
    let len = 0;
    for (;;) {
      c = (c << 1) | bits.read1();
      len++;
      if (len > MAX_CODE_LENGTH) throw new InvalidModelError('packed model is corrupt: invalid Huffman code');
      const k = c - first[len]!;
      if (k >= 0 && k < countOf[len]!) {
        out[i] = sorted[start[len]! + k]!;
        break;
      }
    }
  }
  return out;
}
