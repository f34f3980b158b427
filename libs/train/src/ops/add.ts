import * as tf from '@tensorflow/tfjs';
import { binaryOp } from './elementwise.js';

export const addOp = binaryOp('Add', (a, b) => tf.add(a, b));
