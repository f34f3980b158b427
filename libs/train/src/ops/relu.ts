import * as tf from '@tensorflow/tfjs';
import { unaryOp } from './elementwise.js';

export const reluOp = unaryOp('Relu', () => (x) => tf.relu(x));
