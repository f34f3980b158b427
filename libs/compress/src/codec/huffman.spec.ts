import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteReader, ByteWriter } from './byte-io.js';
import { MAX_CODE_LENGTH, canonicalCodes, huffmanLengths, huffmanSizeOf, readHuffman, writeHuffman } from './huffman.js';

function roundTrip(symbols: number[]): { back: number[]; size: number } {
  const w = new ByteWriter();
  writeHuffman(w, symbols);
  const bytes = w.finish();
  const r = new ByteReader(bytes);
  const back = Array.from(readHuffman(r, symbols.length));
  expect(r.done).toBe(true);
  return { back, size: bytes.length };
}

describe('canonical Huffman coding', () => {
  it('round-trips any symbol stream, and huffmanSizeOf is the exact size written', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 300 }), { maxLength: 400 }), (symbols) => {
        const { back, size } = roundTrip(symbols);
        expect(back).toEqual(symbols);
        expect(size).toBe(huffmanSizeOf(symbols));
      }),
      { numRuns: 200 },
    );
  });

  it('codes skewed streams near their entropy', () => {
    // 90% zeros, the rest spread over 15 values: entropy ≈ 0.47 + 0.1·log2(15) ≈ 0.86 bits/symbol.
    const symbols = Array.from({ length: 10_000 }, (_, i) => (i % 10 === 0 ? 1 + (i % 15) : 0));
    const { back, size } = roundTrip(symbols);
    expect(back).toEqual(symbols);
    expect(size * 8).toBeLessThan(10_000 * 1.3);
  });

  it('a single repeated symbol costs no payload; an empty stream one byte', () => {
    expect(roundTrip(new Array(5000).fill(7))).toEqual({ back: new Array(5000).fill(7), size: 3 });
    expect(roundTrip([]).size).toBe(1);
  });

  it('limits code lengths to 15 bits and keeps a prefix code (Kraft sum ≤ 1)', () => {
    // Fibonacci frequencies make the deepest possible tree: 40 symbols → depth 39 unlimited.
    const fib = [1, 1];
    while (fib.length < 40) fib.push(fib[fib.length - 1]! + fib[fib.length - 2]!);
    const lengths = huffmanLengths(fib);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_CODE_LENGTH);
    expect(lengths.reduce((s, l) => s + 2 ** -l, 0)).toBeLessThanOrEqual(1);
    const codes = canonicalCodes(lengths);
    const words = Array.from(lengths, (l, s) => codes[s]!.toString(2).padStart(l, '0'));
    for (const a of words) for (const b of words) if (a !== b) expect(b.startsWith(a)).toBe(false);
    const symbols = fib.flatMap((f, s) => new Array(Math.min(f, 50)).fill(s));
    expect(roundTrip(symbols).back).toEqual(symbols);
  });
});
