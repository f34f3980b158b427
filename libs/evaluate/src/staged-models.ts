import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel, validateModel } from '@edgefit/onnx';

/**
 * Check each model here (before any child process starts, so a bad model
 * fails with its own error), write it to a private temporary folder for a
 * worker to read, and remove the folder afterwards whatever happens.
 */
export async function withStagedModels<T>(models: readonly Uint8Array[], batch: number, use: (paths: string[]) => Promise<T>): Promise<T> {
  models.forEach((m, i) => validateModel(decodeModel(m, models.length === 1 ? 'model' : `model ${i + 1}`), {}, { batch }));
  const dir = mkdtempSync(join(tmpdir(), 'edgefit-latency-'));
  try {
    const paths = models.map((m, i) => {
      const path = join(dir, `model-${i}.onnx`);
      writeFileSync(path, m);
      return path;
    });
    return await use(paths);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
