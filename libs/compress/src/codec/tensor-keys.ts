import { DataType, elementCount, tensorDims, type onnx } from '@edgefit/onnx';

/**
 * A tensor's elements as unsigned bit patterns ("keys"): the codec works on
 * these, never on float arithmetic, so whatever it decodes is bit-identical
 * (−0, NaN payloads and denormals included).
 */
export interface TensorKeys {
  keys: Uint32Array;
  /** Bytes per element in raw_data (0.5 for the packed 4-bit types). */
  elementBytes: 0.5 | 1 | 2 | 4;
  /** Bits of an integer element when read as a number (signed types negative), or 0 for floating types. */
  intBits: number;
  /** 4-bit types with an odd count: the unused high nibble of the last byte, kept as it was. */
  padNibble: number;
}

const LAYOUT: Readonly<Record<number, { bytes: TensorKeys['elementBytes']; intBits: number }>> = {
  [DataType.FLOAT]: { bytes: 4, intBits: 0 },
  [DataType.INT32]: { bytes: 4, intBits: -32 },
  [DataType.UINT32]: { bytes: 4, intBits: 32 },
  [DataType.FLOAT16]: { bytes: 2, intBits: 0 },
  [DataType.BFLOAT16]: { bytes: 2, intBits: 0 },
  [DataType.INT16]: { bytes: 2, intBits: -16 },
  [DataType.UINT16]: { bytes: 2, intBits: 16 },
  [DataType.INT8]: { bytes: 1, intBits: -8 },
  [DataType.UINT8]: { bytes: 1, intBits: 8 },
  [DataType.BOOL]: { bytes: 1, intBits: 8 },
  [DataType.INT4]: { bytes: 0.5, intBits: -4 },
  [DataType.UINT4]: { bytes: 0.5, intBits: 4 },
};

/** Bytes per element and integer reading of a data type the codec can code; undefined for others. */
export function elementLayout(dataType: number): { elementBytes: TensorKeys['elementBytes']; intBits: number } | undefined {
  const l = LAYOUT[dataType];
  return l ? { elementBytes: l.bytes, intBits: l.intBits } : undefined;
}

/** Keys of a tensor stored in raw_data of exactly the right length; undefined for anything else (kept as is). */
export function tensorKeys(t: onnx.ITensorProto): TensorKeys | undefined {
  const layout = LAYOUT[t.dataType ?? 0];
  const raw = t.rawData;
  if (!layout || !raw || raw.byteLength === 0) return undefined;
  const n = elementCount(tensorDims(t));
  if (raw.byteLength !== Math.ceil(n * layout.bytes)) return undefined;
  const keys = new Uint32Array(n);
  const eb = layout.bytes;
  if (eb === 0.5) {
    for (let i = 0; i < n; i++) keys[i] = (raw[i >> 1]! >> ((i & 1) * 4)) & 0xf;
  } else {
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (let b = eb - 1; b >= 0; b--) k = k * 256 + raw[i * eb + b]!;
      keys[i] = k;
    }
  }
  const padNibble = eb === 0.5 && n % 2 === 1 ? raw[raw.length - 1]! >> 4 : 0;
  return { keys, elementBytes: eb, intBits: layout.intBits, padNibble };
}

export function keysToRaw(keys: Uint32Array, elementBytes: TensorKeys['elementBytes'], padNibble: number): Uint8Array {
  const n = keys.length;
  if (elementBytes === 0.5) {
    const raw = new Uint8Array(Math.ceil(n / 2));
    for (let i = 0; i < n; i++) raw[i >> 1]! |= (keys[i]! & 0xf) << ((i & 1) * 4);
    if (n % 2 === 1) raw[raw.length - 1]! |= (padNibble & 0xf) << 4;
    return raw;
  }
  const raw = new Uint8Array(n * elementBytes);
  for (let i = 0; i < n; i++) {
    let k = keys[i]!;
    for (let b = 0; b < elementBytes; b++) {
      raw[i * elementBytes + b] = k & 0xff;
      k >>>= 8;
    }
  }
  return raw;
}

/** An integer key as the number it stands for (two's complement for signed types). */
export function keyToInt(key: number, intBits: number): number {
  if (intBits >= 0) return key;
  const bits = -intBits;
  return key >= 2 ** (bits - 1) ? key - 2 ** bits : key;
}

export function intToKey(value: number, intBits: number): number {
  const bits = Math.abs(intBits);
  return value < 0 ? value + 2 ** bits : value;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function keyToFloat(key: number): number {
  u32[0] = key;
  return f32[0]!;
}

export function floatToKey(value: number): number {
  f32[0] = value;
  return u32[0]!;
}
