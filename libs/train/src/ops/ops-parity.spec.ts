import { describe, expect, it, beforeAll } from 'vitest';
import { initTrainingBackend } from '../backend.js';
import { OnnxExecutor } from '../executor/executor.js';
import { runOrt } from '../testing/ort.js';
import { runExecutor } from '../testing/run-executor.js';
import { maxAbsDiff } from '../testing/random.js';
import { OP_CASES as cases, buildCase } from '../testing/op-cases.js';

beforeAll(async () => {
  await initTrainingBackend({ prefer: 'wasm' });
});

describe('op table agrees with onnxruntime (inference mode, max abs diff ≤ 1e-4)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { model, feeds } = buildCase(c);
      const exec = new OnnxExecutor(model);
      const got = runExecutor(exec, feeds);
      exec.dispose();
      const ref = await runOrt(model, feeds);
      for (const name of Object.keys(ref)) {
        expect(got[name]!.dims, name).toEqual(ref[name]!.dims);
        expect(maxAbsDiff(got[name]!.data, ref[name]!.data), name).toBeLessThan(1e-4);
      }
    });
  }
});
