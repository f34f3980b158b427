import * as tf from '@tensorflow/tfjs';
import { unaryOp } from './elementwise.js';

export const tanhOp = unaryOp('Tanh', () => (x) => tf.tanh(x));
