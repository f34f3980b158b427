import { ModelBuilder } from '@edgefit/onnx';
import { SeededRng } from '@edgefit/core';
import { LayerBuilder } from './layer-builder.js';
import type { ZooModel } from './zoo-model.js';

/** LeCun et al. 1998 MLP 784-300-100-10: 266,610 parameters, 266,200 MACs. */
export const lenet300100: ZooModel = {
  name: 'lenet-300-100',
  description: 'MLP 784-300-100-10 (LeCun et al. 1998), dropout 0.2 on hidden layers',
  task: 'classification',
  inputShape: [1, 28, 28],
  numClasses: 10,
  recipe: { epochs: 30, batchSize: 64, learningRate: 2e-3, shiftPixels: 2 },
  build(seed) {
    const b = new ModelBuilder('lenet-300-100');
    const l = new LayerBuilder(b, new SeededRng(seed));
    let x = b.input('input', ['N', 1, 28, 28]);
    x = l.flatten(x);
    x = l.dropout(l.relu(l.dense(x, 784, 300, 'fc1')), 0.2);
    x = l.dropout(l.relu(l.dense(x, 300, 100, 'fc2')), 0.2);
    l.dense(x, 100, 10, 'logits');
    b.output('logits', ['N', 10]);
    return b.meta('edgefit.zoo', 'lenet-300-100').meta('edgefit.task', 'classification').build();
  },
};
