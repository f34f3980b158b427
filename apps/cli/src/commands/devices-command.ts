import type { Command } from 'commander';
import { PRECISION_BITS, listProfiles, type HardwareProfile } from '@edgefit/hardware';
import { emitResult, formatCount, table } from '../cli-output.js';

/** One device as `edgefit devices --json` reports it. */
function describeDevice(p: HardwareProfile) {
  const peaks = Object.entries(p.peakMacsPerSecond) as [string, number][];
  return {
    name: p.name,
    class: p.class,
    description: p.description,
    clockMHz: p.clockMHz,
    processNm: p.processNm ?? null,
    precisions: p.supportedPrecisions,
    peakMacsPerSecond: p.peakMacsPerSecond,
    bitSerial: p.bitSerial ?? null,
    memory: p.memory.map((l) => ({ name: l.name, kind: l.kind, sizeBytes: l.sizeBytes, bandwidthBytesPerSecond: l.bandwidthBytesPerSecond })),
    sparsity: p.sparsity.kind,
    fallback: p.operators.fallback?.device ?? null,
    staticPowerW: p.staticPowerW,
    calibrated: !!p.calibration,
    template: p.template ? p.template.parameters.map((t) => t.name) : null,
    /** Largest MAC rate at any precision (bit-serial engines: at their narrowest step). */
    maxMacsPerSecond: Math.max(p.bitSerial?.macsPerSecondAtStep ?? 0, ...peaks.map(([, v]) => v)),
  };
}

function humanRate(macs: number): string {
  return macs >= 1e12 ? `${(macs / 1e12).toFixed(2)} TMAC/s` : `${(macs / 1e9).toFixed(1)} GMAC/s`;
}

export function registerDevicesCommand(program: Command): void {
  program
    .command('devices')
    .description('the hardware profiles predictions can target (hardware-profiles/*.json)')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { json?: boolean }) => {
      const devices = listProfiles().map(describeDevice);
      emitResult(opts, { devices }, () =>
        table(
          ['device', 'class', 'precisions', 'peak', 'memory', 'notes'],
          devices.map((d) => [
            d.name,
            d.class,
            [...d.precisions].sort((a, b) => PRECISION_BITS[b] - PRECISION_BITS[a]).join(','),
            humanRate(d.maxMacsPerSecond),
            d.memory.map((m) => `${m.name} ${formatCount(Math.round(m.sizeBytes / 1024))} KiB`).join(', '),
            [d.calibrated ? 'calibrated' : '', d.template ? `template(${d.template.join(',')})` : '', d.fallback ? `fallback ${d.fallback}` : ''].filter(Boolean).join('; '),
          ]),
        ),
      );
    });
}
