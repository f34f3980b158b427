import { describe, expect, it } from 'vitest';
import { InvalidModelError } from '@edgefit/core';
import { DataType, ModelBuilder, encodeModel, floatTensor } from '@edgefit/onnx';
import { Tensor } from 'onnxruntime-node';
import { createSession, ortVersion, runSession } from './ort-session.js';
import { mlpModel } from './test-models.js';

describe('ort session', () => {
  it('creates a session for a valid model', async () => {
    const session = await createSession(mlpModel([8, 4]));
    expect(session.inputNames).toEqual(['x']);
    await session.release();
    expect(ortVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs validateModel first: a shape error never reaches onnxruntime', async () => {
    const b = new ModelBuilder('mismatch');
    b.input('x', ['N', 4]);
    b.initializer(floatTensor('w', [3, 5], new Float32Array(15))); // 4 ≠ 3: Gemm cannot multiply
    b.node('Gemm', ['x', 'w'], ['y']);
    b.output('y', ['N', 5]);
    await expect(createSession(encodeModel(b.build()))).rejects.toThrow(/inner dimensions differ/);
  });

  it('wraps an onnxruntime run failure into InvalidModelError', async () => {
    const b = new ModelBuilder('runfail');
    b.input('x', ['N', 1, 8, 8]);
    b.initializer(floatTensor('w', [2, 1, 3, 3], new Float32Array(18)));
    b.node('Conv', ['x', 'w'], ['y'], { kernel_shape: [5, 5] }); // loads, but cannot run: kernel_shape ≠ weight shape
    b.output('y', ['N', 2, 4, 4]);
    const session = await createSession(encodeModel(b.build()));
    const feeds = { x: new Tensor('float32', new Float32Array(64), [1, 1, 8, 8]) };
    await expect(runSession(session, feeds, 'runfail.onnx')).rejects.toThrow(/^runfail\.onnx: onnxruntime failed to run the model: /);
    await expect(runSession(session, feeds)).rejects.toThrow(InvalidModelError);
    await session.release();
  });

  it('turns garbage bytes into InvalidModelError', async () => {
    await expect(createSession(new TextEncoder().encode('definitely not onnx'))).rejects.toThrow(InvalidModelError);
    await expect(createSession(new Uint8Array(0))).rejects.toThrow(InvalidModelError);
  });

  it('wraps an onnxruntime load failure into a one-line InvalidModelError', async () => {
    const b = new ModelBuilder('bad');
    b.input('x', ['N', 4], DataType.INT64);
    b.node('Sqrt', ['x'], ['y']); // passes validateModel; onnxruntime has no int64 Sqrt
    b.output('y', ['N', 4], DataType.INT64);
    const err = await createSession(encodeModel(b.build()), {}, 'bad.onnx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidModelError);
    expect((err as Error).message).toMatch(/^bad\.onnx: onnxruntime cannot load the model: .*Sqrt/);
    expect((err as Error).message).not.toContain('\n');
  });
});
