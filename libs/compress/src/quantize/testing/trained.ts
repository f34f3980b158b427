import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset, subset } from '@edgefit/data';
import { loadModel, saveModel, type onnx } from '@edgefit/onnx';
import { fit, getZooModel } from '@edgefit/train';

const MODELS_DIR = fileURLToPath(new URL('../../../../../models/', import.meta.url));
const CACHE_DIR = join(tmpdir(), 'edgefit-quantize-tests');

/**
 * A trained zoo model for accuracy tests: models/<name>*.onnx when the repo
 * has one, else a quick training run (a few hundred steps on mnist, seeded)
 * cached under the OS temp folder so later runs skip it.
 */
export async function trainedZooModel(name: string, steps = 150): Promise<onnx.ModelProto> {
  // Exactly the mnist model: models/ also holds the same architectures trained on fashion-mnist.
  const shipped = join(MODELS_DIR, `${name}-mnist.onnx`);
  if (existsSync(shipped)) return loadModel(shipped);
  const cached = join(CACHE_DIR, `${name}-mnist-${steps}steps-v1.onnx`);
  if (existsSync(cached)) return loadModel(cached);
  const ds = loadDataset('mnist');
  const result = await fit(getZooModel(name).build(1), { train: ds.splits.train, validation: subset(ds.splits.validation, 256, 1) }, {
    epochs: 1, maxSteps: steps, learningRate: 2e-3, warmupEpochs: 0, schedule: 'constant', seed: 1,
  });
  mkdirSync(CACHE_DIR, { recursive: true });
  saveModel(result.model, cached);
  return result.model;
}
