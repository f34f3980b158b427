import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRng } from '@edgefit/core';

/** A temporary folder for files written by a test; `cleanup()` removes it. */
export function tempDir(prefix = 'edgefit-data-'): { dir: string; write: (name: string, bytes: Uint8Array | string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write: (name, bytes) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** n random uint8 images of side×side and labels cycling through numClasses. */
export function syntheticImages(n: number, side: number, numClasses: number, seed = 1): { pixels: Uint8Array; labels: Uint8Array } {
  const rng = new SeededRng(seed);
  const pixels = Uint8Array.from({ length: n * side * side }, () => rng.int(0, 255));
  const labels = Uint8Array.from({ length: n }, (_, i) => i % numClasses);
  return { pixels, labels };
}
