import { InvalidModelError } from '@edgefit/core';

/** MSB-first bit packing for Huffman code words. */
export class BitWriter {
  private buf: Uint8Array;
  private bytePos = 0;
  private acc = 0;
  private nbits = 0;

  constructor(expectedBits = 1024) {
    this.buf = new Uint8Array(Math.max(16, Math.ceil(expectedBits / 8) + 8));
  }

  /** Append the low `len` bits of `code` (len ≤ 24). */
  write(code: number, len: number): void {
    this.acc = (this.acc << len) | (code & ((1 << len) - 1));
    this.nbits += len;
    while (this.nbits >= 8) {
      this.nbits -= 8;
      this.push((this.acc >>> this.nbits) & 0xff);
    }
    this.acc &= (1 << this.nbits) - 1;
  }

  private push(byte: number): void {
    if (this.bytePos === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.bytePos++] = byte;
  }

  finish(): Uint8Array {
    if (this.nbits > 0) this.push((this.acc << (8 - this.nbits)) & 0xff);
    this.nbits = 0;
    return this.buf.slice(0, this.bytePos);
  }
}

export class BitReader {
  private pos = 0;
  private bit = 0;
  constructor(private readonly buf: Uint8Array) {}

  read1(): number {
    if (this.pos >= this.buf.length) throw new InvalidModelError('packed model is corrupt: a coded stream ends early');
    const b = (this.buf[this.pos]! >>> (7 - this.bit)) & 1;
    if (++this.bit === 8) {
      this.bit = 0;
      this.pos++;
    }
    return b;
  }
}
