import * as tf from '@tensorflow/tfjs';
import { binaryOp } from './elementwise.js';

export const mulOp = binaryOp('Mul', (a, b) => tf.mul(a, b));
