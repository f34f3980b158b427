import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostFingerprint, type HostFingerprint } from '@edgefit/core';
import { decodeModel, encodeModel } from '@edgefit/onnx';
import { defaultPassRegistry } from './default-registry.js';
import type { LatencyProbe } from './pass.js';
import { parsePassSpec } from './pass-spec.js';
import { pipelineKey, runPipeline } from './pipeline.js';
import { testContext } from './quantize/testing/context.js';
import { mlpModel, randomSplit } from './quantize/testing/models.js';

const registry = defaultPassRegistry();
const model = mlpModel([64, 64, 10]);
const bytes = encodeModel(model);
const hostA: HostFingerprint = { cpu: 'AMD EPYC 7B13', threads: 2, onnxruntime: '1.30.0' };
const variants: Record<string, HostFingerprint> = {
  cpu: { ...hostA, cpu: 'Intel(R) Xeon(R) Platinum 8375C' },
  threads: { ...hostA, threads: 8 },
  onnxruntime: { ...hostA, onnxruntime: '1.31.0' },
};
const key = (specs: string[], host?: HostFingerprint) => pipelineKey(bytes, specs.map((s) => parsePassSpec(s, registry)), registry, host ? { host } : {});

describe('pipeline cache key and the host', () => {
  it('a step that chooses forms by measurement (form: auto, also per layer) is keyed by CPU model, thread count and onnxruntime version', () => {
    for (const specs of [['quantize:bits=8'], ['quantize:bits=8,form=qdq,form.fc1=auto'], ['prune:sparsity=0.5', 'quantize:form=auto']]) {
      const a = key(specs, hostA);
      expect(key(specs, { ...hostA })).toBe(a);
      for (const [what, host] of Object.entries(variants)) expect(key(specs, host), `${specs.join(' → ')}: ${what}`).not.toBe(a);
      // By default the host is this one.
      expect(key(specs)).toBe(key(specs, hostFingerprint()));
    }
  });

  it('pipelines that measure nothing keep one key on every host', () => {
    for (const specs of [['quantize:bits=8,form=qdq'], ['quantize:bits=4,form=simulated'], ['prune:method=l1-filter,sparsity=0.5']]) {
      const a = key(specs, hostA);
      for (const host of Object.values(variants)) expect(key(specs, host), specs.join(' → ')).toBe(a);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'edgefit-pipeline-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an auto-quantized model cached on one host is measured again on another, and served from the cache on the same one', async () => {
    const calls = { n: 0 };
    // A fake host where integer matmuls are cheap, so the choice is known: the real probe is tested in libs/evaluate.
    const probe: LatencyProbe = async (models) => {
      calls.n += models.length;
      return models.map((m) => decodeModel(m).graph!.node!.reduce((a, n) => a + (n.opType === 'QLinearMatMul' ? 0.1 : 1), 0));
    };
    const ctx = testContext(randomSplit(32, 64), { measureLatency: probe });
    const steps = [parsePassSpec('quantize:bits=8', registry)];
    const run = (host: HostFingerprint) => runPipeline(model, steps, registry, ctx, { cacheDir: dir, host });
    const first = await run(hostA);
    const measured = calls.n;
    expect(first.cached).toBe(false);
    expect(measured).toBeGreaterThan(0);
    const again = await run({ ...hostA });
    expect(again).toMatchObject({ cached: true, key: first.key });
    expect(Buffer.compare(Buffer.from(again.bytes), Buffer.from(first.bytes))).toBe(0);
    expect(calls.n).toBe(measured);
    const other = await run(variants.threads!);
    expect(other.cached).toBe(false);
    expect(other.key).not.toBe(first.key);
    expect(calls.n).toBe(2 * measured);
    expect(readdirSync(dir).filter((f) => f.endsWith('.onnx'))).toHaveLength(2);
  });
});
