import * as tf from '@tensorflow/tfjs';
import { unaryOp } from './elementwise.js';

export const sigmoidOp = unaryOp('Sigmoid', () => (x) => tf.sigmoid(x));
