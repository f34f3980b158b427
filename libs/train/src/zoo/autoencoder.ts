import { ModelBuilder } from '@edgefit/onnx';
import { SeededRng } from '@edgefit/core';
import { LayerBuilder } from './layer-builder.js';
import type { ZooModel } from './zoo-model.js';

/**
 * Dense autoencoder 784-128-32-128-784 with a sigmoid output, for anomaly
 * detection: trained on the normal classes only and scored by reconstruction
 * error (AUROC against the held-out anomaly class).
 */
export const autoencoder: ZooModel = {
  name: 'autoencoder',
  description: 'dense autoencoder 784-128-32-128-784 (sigmoid output); anomaly score = reconstruction MSE',
  task: 'anomaly',
  inputShape: [1, 28, 28],
  numClasses: 10,
  recipe: { epochs: 20, batchSize: 64, learningRate: 2e-3, shiftPixels: 0 },
  build(seed) {
    const b = new ModelBuilder('autoencoder');
    const l = new LayerBuilder(b, new SeededRng(seed));
    let x = l.flatten(b.input('input', ['N', 1, 28, 28]));
    x = l.relu(l.dense(x, 784, 128, 'enc1'));
    x = l.relu(l.dense(x, 128, 32, 'enc2'));
    x = l.relu(l.dense(x, 32, 128, 'dec1'));
    x = l.dense(x, 128, 784, 'dec2');
    b.node('Sigmoid', [x], ['reconstruction'], {}, 'output');
    b.output('reconstruction', ['N', 784]);
    return b.meta('edgefit.zoo', 'autoencoder').meta('edgefit.task', 'anomaly').build();
  },
};
