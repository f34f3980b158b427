import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTrainingBackend } from './backend.js';
import { trainingKernelNames } from './kernels/kernel-registry.js';

describe('initTrainingBackend', () => {
  it('picks WASM when tfjs-node is not installed, registers the training kernels, and is idempotent', async () => {
    expect(await initTrainingBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    for (const name of trainingKernelNames()) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    expect(await initTrainingBackend()).toBe('wasm');
  });

  it('switches back when something else changed the backend', async () => {
    await tf.setBackend('cpu');
    expect(await initTrainingBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('refuses tfjs-node when asked for it and it is missing', async () => {
    await expect(initTrainingBackend({ prefer: 'tensorflow' })).rejects.toThrow(/tfjs-node is not installed/);
    expect(tf.getBackend()).toBe('wasm');
  });
});
