import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { UserInputError } from '@edgefit/core';
import { registerCompressCommand } from './compress-command.js';

/** Run `edgefit compress …` in process: stdout captured (one JSON line with --json), stderr silenced. */
async function compress(args: string[]): Promise<{ json?: Record<string, any>; stdout: string; stderr: string; error?: unknown }> {
  const program = new Command('edgefit').exitOverride();
  registerCompressCommand(program);
  program.commands.forEach((c) => c.exitOverride());
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    await program.parseAsync(['compress', ...args], { from: 'user' });
  } catch (error) {
    return { stdout, stderr, error };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const lines = stdout.trim().split('\n');
  return { stdout, stderr, json: args.includes('--json') ? (expect(lines).toHaveLength(1), JSON.parse(lines[0]!)) : undefined };
}

const dir = mkdtempSync(join(tmpdir(), 'edgefit-compress-'));

describe('edgefit compress', () => {
  it('structured pruning of a zoo model: writes the smaller ONNX file and reports ONNX and packed bytes apart', async () => {
    const out = join(dir, 'lenet5-half.onnx');
    const r = await compress(['lenet-5', '--pass', 'prune:method=l1-filter,sparsity=0.5,fineTuneEpochs=0', '--out', out, '--json']);
    expect(r.error).toBeUndefined();
    const j = r.json!;
    expect(j.out).toBe(out);
    expect(statSync(out).size).toBe(j.onnxBytes);
    expect(j).toMatchObject({ model: 'lenet-5', params: 15_738, baseParams: 61_706 });
    expect(j.packedBytes).toBeLessThan(j.onnxBytes);
    expect(j.baseOnnxBytes).toBeGreaterThan(3 * j.onnxBytes);
    expect(j.accuracy).toBeUndefined();
    expect(j.passes).toHaveLength(1);
    expect(j.passes[0].pass).toBe('prune');
    expect(j.passes[0].layers.map((l: any) => l.channelsAfter)).toEqual([3, 8, 60, 42, 10]);
    expect(r.stderr).toMatch(/wrote .*lenet5-half\.onnx/);
  });

  it('with a dataset: fine-tunes with masks and reports test accuracy before and after (onnxruntime)', async () => {
    const r = await compress([
      'lenet-300-100', '--pass', 'prune:sparsity=0.9,fineTuneEpochs=1', '--dataset', 'mnist',
      '--train-limit', '256', '--fine-tune-steps', '3', '--eval-limit', '200', '--out', join(dir, 'mlp.onnx'), '--json',
    ]);
    expect(r.error).toBeUndefined();
    const j = r.json!;
    expect(j.evalSamples).toBe(200);
    for (const k of ['accuracy', 'baseAccuracy']) expect(j[k]).toBeGreaterThanOrEqual(0), expect(j[k]).toBeLessThanOrEqual(1);
    expect(j.passes[0].notes.join(' ')).toMatch(/sparsity 90\.00%/);
    expect(j.onnxBytes / j.packedBytes).toBeGreaterThan(8); // 90% zeros, fp32 values
    expect(r.stderr).toMatch(/fine-tuned/);
  });

  it('a second identical run comes from the content-addressed cache', async () => {
    const cache = join(dir, 'cache');
    const args = ['lenet-5', '--pass', 'prune:method=nm,n=2,m=4', '--cache-dir', cache, '--out', join(dir, 'nm.onnx'), '--json'];
    const first = await compress(args);
    const bytes = readFileSync(join(dir, 'nm.onnx'));
    const second = await compress(args);
    expect(first.json!.cached).toBe(false);
    expect(second.json!.cached).toBe(true);
    expect(second.json!.key).toBe(first.json!.key);
    expect(readFileSync(join(dir, 'nm.onnx')).equals(bytes)).toBe(true);
    expect(existsSync(join(cache, `${first.json!.key}.onnx`))).toBe(true);
  });

  const bad: [string[], RegExp][] = [
    [['--pass', 'prunee'], /unknown pass 'prunee'/],
    [['--pass', 'prune:sparsity=1.2'], /parameter 'sparsity' must be from 0 to 0.99, got 1.2/],
    [['--pass', 'prune:sparsity.fc9=0.5'], /parameter 'sparsity.fc9' names layer 'fc9'/],
    [[], /at least one --pass/],
  ];
  for (const [args, pattern] of bad) {
    it(`bad input ${args.join(' ') || '(no --pass)'}: one-line UserInputError naming the problem`, async () => {
      const r = await compress(['lenet-5', ...args, '--out', join(dir, 'never.onnx'), '--json']);
      expect(r.error).toBeInstanceOf(UserInputError);
      expect((r.error as Error).message).toMatch(pattern);
      expect((r.error as Error).message).not.toContain('\n');
      expect(r.stdout).toBe('');
      expect(existsSync(join(dir, 'never.onnx'))).toBe(false);
    });
  }
});
