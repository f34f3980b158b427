import { ModelBuilder } from '@edgefit/onnx';
import { SeededRng } from '@edgefit/core';
import { LayerBuilder } from './layer-builder.js';
import type { ZooModel } from './zoo-model.js';

/**
 * A MobileNet-style depthwise-separable CNN sized for 28x28 inputs: a 3x3 stem
 * (stride 2) and three blocks of depthwise 3x3 + pointwise 1x1, each followed
 * by BatchNormalization and ReLU, then global average pooling and a classifier.
 */
export const mobilenetTiny: ZooModel = {
  name: 'mobilenet-tiny',
  description: 'depthwise-separable CNN with BatchNorm: stem 16 → dw/pw 32 → dw/pw 64 (s2) → dw/pw 128 → GAP → 10',
  task: 'classification',
  inputShape: [1, 28, 28],
  numClasses: 10,
  recipe: { epochs: 20, batchSize: 64, learningRate: 3e-3, shiftPixels: 2 },
  build(seed) {
    const b = new ModelBuilder('mobilenet-tiny');
    const l = new LayerBuilder(b, new SeededRng(seed));
    const convBnRelu = (x: string, cin: number, cout: number, k: number, stride: number, group: number, name: string) =>
      l.relu(l.batchNorm(l.conv(x, cin, cout, k, { stride, pad: (k - 1) / 2, group, bias: false, name }), cout, `${name}.bn`));
    let x = b.input('input', ['N', 1, 28, 28]);
    x = convBnRelu(x, 1, 16, 3, 2, 1, 'stem'); // 14x14
    const blocks: Array<[number, number, number]> = [[16, 32, 1], [32, 64, 2], [64, 128, 1]];
    blocks.forEach(([cin, cout, stride], i) => {
      x = convBnRelu(x, cin, cin, 3, stride, cin, `block${i + 1}.dw`);
      x = convBnRelu(x, cin, cout, 1, 1, 1, `block${i + 1}.pw`);
    });
    x = l.dropout(l.flatten(l.globalAveragePool(x)), 0.2);
    l.dense(x, 128, 10, 'logits');
    b.output('logits', ['N', 10]);
    return b.meta('edgefit.zoo', 'mobilenet-tiny').meta('edgefit.task', 'classification').build();
  },
};
