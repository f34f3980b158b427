import type { Command } from 'commander';
import { inspectModel } from '@edgefit/onnx';
import { emitResult, formatCount, table } from '../cli-output.js';
import { intOption } from '../cli-options.js';
import { resolveModel } from '../model-source.js';

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect <model>')
    .description('parameters, MACs, weight bytes and peak activation memory per layer and in total')
    .option('--batch <n>', 'batch size for symbolic batch dimensions', intOption('--batch', 1, 65536), 1)
    .option('--json', 'print one JSON object on stdout')
    .action(async (modelSpec: string, opts: { batch: number; json?: boolean }) => {
      const { model, source } = await resolveModel(modelSpec);
      const cost = inspectModel(model, { batch: opts.batch });
      const result = { model: source, batch: opts.batch, ...cost };
      emitResult(opts, result, () =>
        [
          table(
            ['layer', 'op', 'params', 'MACs'],
            cost.layers.map((l) => [l.name, l.op, formatCount(l.params), formatCount(l.macs)]),
          ),
          '',
          `params ${formatCount(cost.params)}  MACs ${formatCount(cost.macs)}  weight bytes ${formatCount(cost.weightBytes)}  peak activation bytes ${formatCount(cost.peakActivationBytes)}`,
        ].join('\n'),
      );
    });
}
