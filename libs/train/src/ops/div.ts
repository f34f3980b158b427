import * as tf from '@tensorflow/tfjs';
import { binaryOp } from './elementwise.js';

export const divOp = binaryOp('Div', (a, b) => tf.div(a, b));
