import * as tf from '@tensorflow/tfjs';
import { unaryOp } from './elementwise.js';
import { hardSigmoid } from './hard-sigmoid.js';

/** y = x · HardSigmoid(x) with alpha = 1/6, beta = 0.5 (the ONNX definition). */
export const hardSwishOp = unaryOp('HardSwish', () => (x) => tf.mul(x, hardSigmoid(x, 1 / 6, 0.5)));
