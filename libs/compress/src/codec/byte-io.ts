import { InvalidModelError } from '@edgefit/core';

/** A growable byte buffer with LEB128 varints: the container format's writer. */
export class ByteWriter {
  private buf = new Uint8Array(1024);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  get length(): number {
    return this.len;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  /** Unsigned integer up to 2^53 − 1. */
  varint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint: ${v} is not a non-negative safe integer`);
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    return this.u8(v);
  }

  /** Signed integer, zigzag-mapped so small magnitudes stay short. */
  svarint(v: number): this {
    return this.varint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  /** Little-endian, `size` bytes (1, 2 or 4) of an unsigned 32-bit value. */
  uint(v: number, size: number): this {
    for (let i = 0; i < size; i++) this.u8((v >>> (8 * i)) & 0xff);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Reads what ByteWriter wrote; running past the end is a corrupt-input error, never garbage. */
export class ByteReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new InvalidModelError(`packed model is corrupt: needs ${n} more bytes at offset ${this.pos} of ${this.buf.length}`);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
    throw new InvalidModelError(`packed model is corrupt: varint too long at offset ${this.pos}`);
  }

  svarint(): number {
    const z = this.varint();
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }

  uint(size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v += this.u8() * 2 ** (8 * i);
    return v >>> 0;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
