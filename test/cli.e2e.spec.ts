import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { writeBadModels } from './bad-models.js';

describe('edgefit CLI (end to end, real binary)', () => {
  it('inspect reports the lenet-300-100 figures of the paper', () => {
    const r = runCli(['inspect', 'lenet-300-100', '--json']);
    expect(r.code).toBe(0);
    expect(r.json!.params).toBe(266_610);
    expect(r.json!.macs).toBe(266_200);
    expect(r.json!.weightBytes).toBe(266_610 * 4);
    expect(r.json!.layers.map((l: { op: string }) => l.op)).toContain('Gemm');
  });

  it('inspect without --json prints a table, not JSON', () => {
    const r = runCli(['inspect', 'lenet-5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/params 61,706 +MACs 416,520/);
  });

  describe('bad input: one line on stderr, exit code 2, from every command', () => {
    const bad = writeBadModels();
    const expectations: Record<string, RegExp> = {
      'empty.onnx': /empty file/,
      'random.onnx': /not (a readable )?(an )?ONNX model/i,
      'truncated.onnx': /not (a readable )?(an )?ONNX model|truncated/i,
      'external.onnx': /external/,
      'bomb.onnx': /ConstantOfShape|elements|limit/i,
    };
    const commands: string[][] = [['inspect'], ['eval', '--dataset', 'mnist', '--limit', '10'], ['bench', '--runs', '3', '--warmup', '0']];
    for (const [file, pattern] of Object.entries(expectations)) {
      for (const cmd of commands) {
        it(`${cmd[0]} ${file}`, () => {
          const [name, ...rest] = cmd;
          const r = runCli([name!, bad[file]!, ...rest, '--json']);
          expect(r.code).toBe(2);
          expect(r.stdout).toBe('');
          const lines = r.stderr.trim().split('\n');
          expect(lines).toHaveLength(1);
          expect(lines[0]).toMatch(pattern);
        });
      }
    }
    it('train on a broken model', () => {
      const r = runCli(['train', bad['truncated.onnx']!, '--dataset', 'mnist', '--epochs', '1', '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it('usage errors name the problem and exit 2', () => {
    for (const args of [
      ['frobnicate'],
      ['inspect', 'lenet-5', '--batch', '0'],
      ['eval', 'lenet-5', '--dataset', 'nosuchdata'],
      ['eval', 'lenet-5', '--dataset', 'mnist', '--split', 'holdout'],
      ['bench', 'no/such/model.onnx'],
      ['train', 'lenet-5'],
      ['profile-device', '--name', 'Bad Name'],
      ['profile-device', '--out', 'profile.yaml'],
    ]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  describe('train → eval → bench on real data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgefit-e2e-'));
    const out = join(dir, 'mlp.onnx');
    let trained: Record<string, any>;

    beforeAll(() => {
      const r = runCli(['train', 'lenet-300-100', '--dataset', 'mnist', '--epochs', '2', '--train-limit', '2000', '--out', out, '--json'], { timeoutMs: 300_000 });
      expect(r.code, r.stderr).toBe(0);
      trained = r.json!;
    }, 300_000);

    it('train writes a runnable model and reports its test accuracy', () => {
      expect(existsSync(out)).toBe(true);
      expect(trained.out).toBe(out);
      expect(trained.dataset).toBe('mnist');
      expect(trained.epochs).toBeGreaterThanOrEqual(1);
      expect(trained.samples).toEqual({ train: 2000, validation: 1000, test: 2000 });
      // Two epochs on 2,000 digits: far above chance (10%), far below the full recipe.
      expect(trained.accuracy).toBeGreaterThan(0.8);
      expect(trained.provenance.onnxruntime).toMatch(/^1\.\d+/);
    });

    it('eval through onnxruntime agrees with the accuracy train reported', () => {
      const r = runCli(['eval', out, '--dataset', 'mnist', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json!.split).toBe('test');
      expect(r.json!.samples).toBe(2000);
      expect(r.json!.accuracy).toBeCloseTo(trained.accuracy, 10);
    });

    it('bench measures latency in a child process', () => {
      const r = runCli(['bench', out, '--batch', '8', '--runs', '20', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json!.batch).toBe(8);
      expect(r.json!.threads).toBe(1);
      expect(r.json!.medianMs).toBeGreaterThan(0);
      expect(r.json!.p90Ms).toBeGreaterThanOrEqual(r.json!.medianMs);
      expect(r.json!.runs).toBe(20);
    });
  });

  it('profile-device calibrates this machine into a profile that validates and prices a model', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'edgefit-profile-')), 'host.json');
    const r = runCli(['profile-device', '--quick', '--name', 'e2e-host', '--out', out, '--json'], { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json!.out).toBe(out);
    expect(r.json!.runs).toBeGreaterThan(50);
    const kinds = r.json!.ops.map((o: { kind: string }) => o.kind);
    // kinds of the kernels onnxruntime executes here: fused Gemm, NHWC quantized conv, the reduction each benchmark ends in
    for (const k of ['matmul:fp32', 'conv:qlinear-nhwc', 'reducemax:fp32', 'output:fp32']) expect(kinds).toContain(k);
    expect(kinds.some((k: string) => k.startsWith('conv:') && k !== 'conv:qlinear-nhwc')).toBe(true);
    // one run of nothing costs something, and far less than a millisecond
    expect(r.json!.runOverheadMs).toBeGreaterThan(0);
    expect(r.json!.runOverheadMs).toBeLessThan(1);
    // the written profile is what predict then uses: calibrated, and a larger model costs more
    const small = runCli(['predict', 'lenet-300-100', '--device', out, '--json']);
    const large = runCli(['predict', 'mobilenet-tiny', '--device', out, '--batch', '64', '--json']);
    expect(small.code, small.stderr).toBe(0);
    expect(small.json!.calibrated).toBe(true);
    expect(large.json!.latencyMs).toBeGreaterThan(small.json!.latencyMs);
    // priced kernel by kernel on the graph onnxruntime executes: the total is their sum plus the fixed cost of a run
    const kernels = small.json!.executedKernels as { kind: string; latencyMs: number }[];
    expect(kernels.filter((k) => k.kind === 'matmul:fp32')).toHaveLength(3);
    expect(small.json!.latencyMs).toBeCloseTo(kernels.reduce((s, k) => s + k.latencyMs, 0) + r.json!.runOverheadMs, 9);
  });
});
