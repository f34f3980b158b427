import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgefitError, InvalidModelError, LimitExceededError, UserInputError } from '@edgefit/core';
import { measureLatencies, measureLatency } from './latency-benchmark.js';
import { mlpModel } from './test-models.js';
import { spawnJsonWorker } from './worker-process.js';

const dir = mkdtempSync(join(tmpdir(), 'edgefit-latency-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (name: string, code: string) => {
  const path = join(dir, name);
  writeFileSync(path, code);
  return path;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('child-process worker', () => {
  it('returns the JSON of the last stdout line', async () => {
    const echo = script('echo.mjs', "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log('noise\\n'+JSON.stringify({got:JSON.parse(s)})))");
    await expect(spawnJsonWorker([echo], { a: 1 }, { timeoutMs: 10_000, label: 'echo' }).result).resolves.toEqual({ got: { a: 1 } });
  });

  it('kills a worker that times out and rejects without hanging', async () => {
    const hang = script('hang.mjs', 'for (;;) {}');
    const job = spawnJsonWorker([hang], {}, { timeoutMs: 500, label: 'hang test' });
    expect(alive(job.pid)).toBe(true);
    await expect(job.result).rejects.toThrow(LimitExceededError);
    await expect(job.result).rejects.toThrow(/hang test did not finish within the time limit of 500 ms; the worker was killed/);
    expect(alive(job.pid)).toBe(false);
  });

  it('reports a crash with the last stderr line, and a reported failure as its error class', async () => {
    const crash = script('crash.mjs', "console.error('boom: out of cheese'); process.exit(3)");
    const err = await spawnJsonWorker([crash], {}, { timeoutMs: 10_000, label: 'crash test' }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EdgefitError);
    expect((err as EdgefitError).code).toBe('WORKER_FAILED');
    expect((err as Error).message).toBe('crash test: worker failed (exit code 3): boom: out of cheese');
    const fail = script('fail.mjs', `console.log(JSON.stringify({ error: { code: 'INVALID_MODEL', message: 'bad graph' } })); process.exitCode = 1`);
    await expect(spawnJsonWorker([fail], {}, { timeoutMs: 10_000, label: 'x' }).result).rejects.toThrow(InvalidModelError);
  });
});

describe('measureLatency', () => {
  it('measures a tiny and a 1300x larger model in one child process, in the order given', async () => {
    const opts = { runs: 30, warmup: 5, batch: 16 };
    // 7.8k and 10M MACs per sample
    const [tiny, big, more] = await measureLatencies([mlpModel([784, 10]), mlpModel([784, 2048, 2048, 2048, 10]), mlpModel([784, 10])], opts);
    expect(more).toBeDefined();
    for (const r of [tiny!, big!]) {
      for (const key of ['medianMs', 'p90Ms', 'minMs', 'meanMs'] as const) expect(r[key]).toBeGreaterThan(0);
      expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
      expect(r.medianMs).toBeLessThanOrEqual(r.p90Ms);
      expect(r.cv).toBeGreaterThanOrEqual(0);
      expect(r).toMatchObject({ runs: 30, threads: 1, batch: 16, inputShape: [16, 784] });
      expect(r.repeats).toBeGreaterThanOrEqual(1);
      expect(r.repeats).toBeLessThanOrEqual(3);
      expect(r.noisy).toBe(r.cv > 0.1);
      expect(r.cpu.length).toBeGreaterThan(0);
      expect(r.ortVersion).toMatch(/^\d+\.\d+/);
    }
    expect(big!.medianMs).toBeGreaterThan(tiny!.medianMs * 5); // per-run overhead dominates the tiny one: about 20x seen
    expect(big!.medianMs).toBeGreaterThan(more!.medianMs * 5);
    expect(await measureLatencies([], opts)).toEqual([]);
  });

  it('measures a model file given by path with a batch', async () => {
    const path = join(dir, 'm.onnx');
    writeFileSync(path, mlpModel([32, 8]));
    const r = await measureLatency(path, { batch: 4, runs: 5, warmup: 1 });
    expect(r).toMatchObject({ batch: 4, inputShape: [4, 32], runs: 5 });
  });

  it('refuses malformed models and bad options before starting a child', async () => {
    await expect(measureLatency(new TextEncoder().encode('not a model'))).rejects.toThrow(InvalidModelError);
    await expect(measureLatency(mlpModel([4, 2]), { runs: 0 })).rejects.toThrow(UserInputError);
    await expect(measureLatency(join(dir, 'missing.onnx'))).rejects.toThrow(UserInputError);
    // a bad model among several is named by its position
    await expect(measureLatencies([mlpModel([4, 2]), new TextEncoder().encode('not a model')])).rejects.toThrow(/model 2/);
  });

  it('gives up with LimitExceededError when the child exceeds the timeout', async () => {
    await expect(measureLatency(mlpModel([784, 1024, 1024]), { runs: 100_000, timeoutMs: 1500 })).rejects.toThrow(LimitExceededError);
  });
});
