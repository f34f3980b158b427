import type { Command } from 'commander';
import { UserInputError } from '@edgefit/core';
import { executedGraph } from '@edgefit/evaluate';
import { instantiateTemplate, loadProfile, predictCost } from '@edgefit/hardware';
import { encodeModel } from '@edgefit/onnx';
import { emitResult, formatCount, table } from '../cli-output.js';
import { intOption } from '../cli-options.js';
import { resolveModel } from '../model-source.js';

interface PredictFlags {
  device: string;
  batch: number;
  threads?: number;
  param: string[];
  json?: boolean;
}

/** `--param rows=64` (repeatable) for template devices. */
function collectParam(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseParams(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(item);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new UserInputError(`--param must look like name=number, got '${item}'`);
    out[m[1]!] = v;
  }
  return out;
}

export function registerPredictCommand(program: Command): void {
  program
    .command('predict <model>')
    .description('predicted latency, energy and memory fit of a model on a hardware profile, per layer')
    .requiredOption('--device <name>', 'a device from `edgefit devices`, or a profile .json file')
    .option('--batch <n>', 'batch size for symbolic batch dimensions', intOption('--batch', 1, 65536), 1)
    .option('--threads <n>', 'CPU threads (default: the profile\'s)', intOption('--threads', 1, 256))
    .option('--param <name=value>', 'template parameter of a co-design device (repeatable)', collectParam, [])
    .option('--json', 'print one JSON object on stdout')
    .action(async (modelSpec: string, flags: PredictFlags) => {
      const { model, source } = await resolveModel(modelSpec);
      let profile = loadProfile(flags.device);
      let hardware: { parameters: Record<string, number>; areaMm2: number; powerW: number } | undefined;
      if (flags.param.length > 0 && !profile.template) throw new UserInputError(`--param given, but device '${profile.name}' is not a template`);
      if (profile.template) {
        // a template device runs at its defaults unless --param moves it
        const point = instantiateTemplate(profile, parseParams(flags.param));
        profile = point.profile;
        hardware = { parameters: point.parameters, areaMm2: point.areaMm2, powerW: point.powerW };
      }
      // a profile calibrated on executed graphs (profile-device) prices the kernels onnxruntime runs here
      const executed = profile.calibration?.graph === 'executed' ? await executedGraph(encodeModel(model), flags.threads ?? profile.defaultThreads ?? 1, source) : undefined;
      const p = predictCost(model, profile, { batch: flags.batch, threads: flags.threads, executed });
      const layers = p.perLayer.map((l) => ({
        name: l.name,
        op: l.op,
        kind: l.kind,
        device: l.device,
        precision: l.precision,
        fallback: l.fallback,
        latencyMs: l.latencyMs,
        computeMs: l.computeMs,
        memoryMs: l.memoryMs,
        transferMs: l.transferMs,
        energyMj: l.energyMj,
        bound: l.bound,
        weightSource: l.weightSource,
      }));
      const result = {
        model: source,
        device: p.device,
        class: p.class,
        batch: p.batch,
        threads: p.threads,
        latencyMs: p.latencyMs,
        energyMj: p.energyMj,
        energyBreakdownMj: p.energyBreakdownMj,
        peakMemoryBytes: p.peakMemoryBytes,
        ramCapacityBytes: p.ramCapacityBytes,
        flashBytes: p.flashBytes,
        flashCapacityBytes: p.flashCapacityBytes,
        fits: p.fits,
        reasons: p.reasons,
        calibrated: p.calibrated,
        fallbackDevice: p.fallbackDevice,
        ...(hardware ? { hardware } : {}),
        layers,
        ...(p.executedGraphError ? { executedGraphError: p.executedGraphError } : {}),
        ...(p.executedKernels ? { executedKernels: p.executedKernels.map((k) => ({ name: k.name, op: k.op, kind: k.kind, latencyMs: k.latencyMs, ...(k.pricedAs ? { pricedAs: k.pricedAs } : {}) })) } : {}),
      };
      emitResult(flags, result, () =>
        [
          p.executedKernels
            ? table(['kernel (as onnxruntime runs it here)', 'op', 'kind', 'ms'], p.executedKernels.map((k) => [k.name, k.op, k.pricedAs ? `${k.kind} (priced as ${k.pricedAs})` : k.kind, k.latencyMs.toFixed(4)]))
            : table(
                ['layer', 'op', 'runs on', 'precision', 'ms', 'bound'],
                layers.filter((l) => l.kind === 'mac' || l.kind === 'elementwise').map((l) => [l.name, l.op, l.device, l.precision, l.latencyMs.toFixed(4), l.bound]),
              ),
          '',
          `${source} on ${p.device} (batch ${p.batch}): ${p.latencyMs.toFixed(3)} ms, ${p.energyMj.toFixed(4)} mJ, peak memory ${formatCount(p.peakMemoryBytes)} B, weights ${formatCount(p.flashBytes)} B — ${p.fits ? 'fits' : `does not fit: ${p.reasons.join('; ')}`}`,
        ].join('\n'),
      );
    });
}
