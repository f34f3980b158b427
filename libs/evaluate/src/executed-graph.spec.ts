import { describe, expect, it } from 'vitest';
import { InvalidModelError } from '@edgefit/core';
import { planExecutedGraph } from '@edgefit/hardware';
import { encodeModel } from '@edgefit/onnx';
import { getZooModel } from '@edgefit/train';
import { executedGraph } from './executed-graph.js';

describe('executedGraph', () => {
  it("is the graph onnxruntime runs here: lenet-5's convolutions become NCHWc kernels with channels padded to the CPU's block", async () => {
    const model = getZooModel('lenet-5').build(1);
    const executed = await executedGraph(encodeModel(model));
    const kernels = planExecutedGraph(executed, 64);
    const convs = kernels.filter((k) => k.kind.startsWith('conv:'));
    expect(convs).toHaveLength(2);
    // x86 builds of onnxruntime run NCHWc convolutions (block 8 with AVX2, 16 with AVX-512); other CPUs keep plain Conv
    if (convs[0]!.kind === 'conv:nchwc-direct') {
      const padded = convs[0]!.work / (64 * 28 * 28 * 25);
      expect(padded).toBeGreaterThanOrEqual(8);
      expect(padded % 8).toBe(0);
      expect(kernels.some((k) => k.kind === 'reorder-output:fp32')).toBe(true);
    } else {
      expect(convs[0]!.work).toBe(64 * 6 * 28 * 28 * 25);
    }
    // the dense layers run fused (Gemm + Relu as one kernel); Dropout and Flatten cost nothing
    expect(kernels.filter((k) => k.kind === 'matmul:fp32')).toHaveLength(3);
    expect(kernels.some((k) => k.op === 'Dropout' || k.op === 'Relu')).toBe(false);
  });

  it('turns a model onnxruntime cannot load into a one-line InvalidModelError', async () => {
    await expect(executedGraph(new Uint8Array([1, 2, 3]), 1, 'broken.onnx')).rejects.toThrow(InvalidModelError);
    await expect(executedGraph(new Uint8Array([1, 2, 3]), 1, 'broken.onnx')).rejects.toThrow(/^broken\.onnx: onnxruntime cannot load the model: [^\n]+$/);
  });
});
