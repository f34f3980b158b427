import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { UserInputError } from '@edgefit/core';
import { calibrateHost, defaultHostProfile, writeProfile, type MeasureFn, type MeasureManyFn } from '@edgefit/hardware';
import { executedGraph, measureLatencies, measureLatency, type LatencyResult } from '@edgefit/evaluate';
import { emitResult, log, table } from '../cli-output.js';
import { intListOption, intOption } from '../cli-options.js';

interface ProfileDeviceFlags {
  out?: string;
  name?: string;
  threads: number;
  batches?: number[];
  quick?: boolean;
  json?: boolean;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * `edgefit profile-device`: calibrate the machine it runs on. Runs the
 * single-operator micro-benchmarks (Gemm, Conv, depthwise Conv, pooling,
 * element-wise, Q/DQ and each quantized operator form) with onnxruntime in a
 * child process, fits per-operator-kind latency coefficients, and writes the
 * calibrated profile (validated) — by default hardware-profiles/<name>.json.
 * Progress goes to stderr; with --json one JSON object goes to stdout.
 */
export function registerProfileDeviceCommand(program: Command): void {
  program
    .command('profile-device')
    .description('calibrate this machine: time onnxruntime micro-benchmarks and fit a hardware profile (hardware-profiles/<name>.json)')
    .option('--out <file>', 'where to write the profile (default hardware-profiles/<name>.json)')
    .option('--name <name>', 'profile name (default host-cpu)')
    .option('--threads <n>', 'onnxruntime intra-op threads to calibrate for', intOption('--threads', 1, 256), 1)
    .option('--batches <list>', 'batch sizes each micro-benchmark runs at (default 1,64; --quick 1,32)', intListOption('--batches', 1, 4096))
    .option('--quick', 'the smaller micro-benchmark set with shorter runs (a rough profile)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: ProfileDeviceFlags) => {
      const name = flags.name ?? 'host-cpu';
      if (!NAME.test(name)) throw new UserInputError(`--name must be lower-case letters, digits, '.', '_' or '-' (at most 64), got '${name}'`);
      const out = flags.out ?? `hardware-profiles/${name}.json`;
      if (!out.endsWith('.json')) throw new UserInputError(`--out must name a .json file, got '${out}'`);
      const batches = flags.batches ?? (flags.quick ? [1, 32] : [1, 64]);
      const base = { ...defaultHostProfile(), name };
      const started = Date.now();
      let noisy = 0;
      const runOptions = (batch: number, threads: number) => ({ batch, threads, warmup: flags.quick ? 5 : 10, runs: flags.quick ? 20 : 50, maxCv: 0.1, maxRepeats: flags.quick ? 2 : 3 });
      const counted = (r: LatencyResult) => {
        if (r.noisy) noisy++;
        return { medianMs: r.medianMs };
      };
      // chunks of benchmarks in one child process each; a failed chunk is re-measured model by model
      const measureMany: MeasureManyFn = async (models, { batch, threads }) => (await measureLatencies(models, { ...runOptions(batch, threads), timeoutMs: 600_000 })).map(counted);
      const measure: MeasureFn = async (model, { batch, threads }) => counted(await measureLatency(model, runOptions(batch, threads)));
      log(`profile-device: calibrating '${name}' on ${flags.threads} thread(s), batches ${batches.join(',')}${flags.quick ? ' (quick)' : ''}`);
      const result = await calibrateHost({
        measure,
        measureMany,
        threads: flags.threads,
        batches,
        size: flags.quick ? 'tiny' : 'standard',
        base,
        // fit the kernels onnxruntime really executes here (NCHWc, fused, NHWC quantized), not the model's own layers
        executedGraph: (bytes) => executedGraph(bytes, flags.threads),
        onProgress: (done, total, what) => log(`[${done}/${total}] ${what}`),
      });
      mkdirSync(dirname(out), { recursive: true });
      writeProfile(out, result.profile);
      const ops = Object.entries(result.calibration.ops)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, c]) => ({ kind, ...c }));
      const seconds = (Date.now() - started) / 1000;
      emitResult(
        flags,
        {
          device: name,
          out,
          threads: flags.threads,
          batches,
          quick: !!flags.quick,
          runs: result.samples.length,
          noisyRuns: noisy,
          runOverheadMs: result.calibration.runOverheadMs,
          ops,
          seconds,
        },
        () =>
          [
            table(
              ['kind', 'intercept us', 'ns/MAC', 'ns/byte', 'ns/out byte', 'samples', 'rms rel err'],
              ops.map((o) => [o.kind, (o.interceptMs * 1e3).toFixed(2), (o.msPerMac * 1e6).toFixed(4), (o.msPerByte * 1e6).toFixed(4), ((o.msPerOutputByte ?? 0) * 1e6).toFixed(4), o.samples, `${(o.rmsRelativeError * 100).toFixed(1)}%`]),
            ),
            '',
            `wrote ${out}: ${ops.length} operator kinds from ${result.samples.length} runs (${noisy} stayed noisy), fixed cost per run ${(result.calibration.runOverheadMs * 1e3).toFixed(1)} us, ${seconds.toFixed(0)} s`,
          ].join('\n'),
      );
    });
}
