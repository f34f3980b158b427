import type { Command } from 'commander';
import { measureLatency, LATENCY_DEFAULTS, LATENCY_LIMITS } from '@edgefit/evaluate';
import { emitResult } from '../cli-output.js';
import { floatOption, intOption } from '../cli-options.js';
import { resolveModel } from '../model-source.js';

interface BenchFlags {
  batch: number;
  threads: number;
  runs: number;
  warmup: number;
  maxCv: number;
  timeout: number;
  json?: boolean;
}

export function registerBenchCommand(program: Command): void {
  const L = LATENCY_LIMITS;
  const D = LATENCY_DEFAULTS;
  program
    .command('bench <model>')
    .description('measure latency with onnxruntime in a child process (median, p90, CV; noisy rounds are repeated)')
    .option('--batch <n>', 'batch size', intOption('--batch', 1, L.batch), D.batch)
    .option('--threads <n>', 'onnxruntime intra-op threads', intOption('--threads', 1, L.threads), D.threads)
    .option('--runs <n>', 'timed runs per round', intOption('--runs', 1, L.runs), D.runs)
    .option('--warmup <n>', 'untimed warm-up runs', intOption('--warmup', 0, L.warmup), D.warmup)
    .option('--max-cv <x>', 'repeat a round whose coefficient of variation exceeds this', floatOption('--max-cv', 0, 10), D.maxCv)
    .option('--timeout <s>', 'give up after this many seconds', intOption('--timeout', 1, L.timeoutMs / 1000), D.timeoutMs / 1000)
    .option('--json', 'print one JSON object on stdout')
    .action(async (modelSpec: string, flags: BenchFlags) => {
      const { bytes, source } = await resolveModel(modelSpec);
      const r = await measureLatency(bytes, {
        batch: flags.batch,
        threads: flags.threads,
        runs: flags.runs,
        warmup: flags.warmup,
        maxCv: flags.maxCv,
        timeoutMs: flags.timeout * 1000,
      });
      emitResult(flags, { model: source, ...r }, () =>
        `${source}: median ${r.medianMs.toFixed(3)} ms, p90 ${r.p90Ms.toFixed(3)} ms, cv ${(r.cv * 100).toFixed(1)}% (batch ${r.batch}, ${r.threads} thread(s), ${r.runs} runs${r.noisy ? ', NOISY' : ''}) on ${r.cpu}`);
    });
}
