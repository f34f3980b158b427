import { ModelBuilder } from '@edgefit/onnx';
import { SeededRng } from '@edgefit/core';
import { LayerBuilder } from './layer-builder.js';
import type { ZooModel } from './zoo-model.js';

/**
 * LeNet-5 (LeCun et al. 1998) with ReLU and max pooling, as in most modern
 * reproductions: conv 6@5x5 (pad 2) → pool → conv 16@5x5 → pool → 120 → 84 → 10.
 * 61,706 parameters, 416,520 MACs per sample.
 */
export const lenet5: ZooModel = {
  name: 'lenet-5',
  description: 'LeNet-5 CNN: conv6-pool-conv16-pool-120-84-10 with ReLU, dropout 0.25 before the classifier',
  task: 'classification',
  inputShape: [1, 28, 28],
  numClasses: 10,
  recipe: { epochs: 30, batchSize: 64, learningRate: 2e-3, shiftPixels: 2 },
  build(seed) {
    const b = new ModelBuilder('lenet-5');
    const l = new LayerBuilder(b, new SeededRng(seed));
    let x = b.input('input', ['N', 1, 28, 28]);
    x = l.maxPool(l.relu(l.conv(x, 1, 6, 5, { pad: 2, name: 'conv1' })), 2);
    x = l.maxPool(l.relu(l.conv(x, 6, 16, 5, { name: 'conv2' })), 2);
    x = l.dropout(l.flatten(x), 0.25);
    x = l.dropout(l.relu(l.dense(x, 400, 120, 'fc1')), 0.25);
    x = l.relu(l.dense(x, 120, 84, 'fc2'));
    l.dense(x, 84, 10, 'logits');
    b.output('logits', ['N', 10]);
    return b.meta('edgefit.zoo', 'lenet-5').meta('edgefit.task', 'classification').build();
  },
};
