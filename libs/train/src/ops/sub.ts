import * as tf from '@tensorflow/tfjs';
import { binaryOp } from './elementwise.js';

export const subOp = binaryOp('Sub', (a, b) => tf.sub(a, b));
