import { writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, totalmem } from 'node:os';
import { DRAM_PJ_PER_BYTE, sramEnergyPerByte45 } from './energy.js';
import { HardwareProfileSchema, type HardwareProfile } from './profile-schema.js';

/**
 * The default `host-cpu` profile, made from what the OS says about this
 * machine (CPU model, clock, logical CPUs, RAM) plus stated assumptions for
 * what it does not say (SIMD width, caches, bandwidth). It is a starting
 * point only: calibration (calibrate.ts) overwrites it with measured
 * per-operator coefficients.
 */
export const HOST_PROFILE_NAME = 'host-cpu';

export function defaultHostProfile(): HardwareProfile {
  const info = cpus();
  const model = info[0]?.model.trim() || 'unknown CPU';
  const reportedMHz = info[0]?.speed ?? 0;
  const clockMHz = reportedMHz > 0 ? reportedMHz : 2000;
  const cores = Math.max(1, availableParallelism());
  const x86 = arch() === 'x64' || arch() === 'ia32';
  // x86-64 with AVX2: two 8-lane fp32 FMA units; ARM NEON: two 4-lane units.
  const fp32PerCycle = x86 ? 16 : 8;
  const fp32 = clockMHz * 1e6 * fp32PerCycle * cores;
  const MB = 1024 * 1024;
  const osFact = (what: string) => ({ kind: 'measured' as const, citation: `node:os on this machine: ${what}` });
  const assumed = (citation: string) => ({ kind: 'assumed' as const, citation });
  const profile = {
    name: HOST_PROFILE_NAME,
    description: `${model}, ${cores} logical CPUs — default from OS facts; run calibration for measured figures`,
    class: 'cpu' as const,
    clockMHz,
    cores,
    defaultThreads: 1,
    peakMacsPerSecond: { fp64: fp32 / 2, fp32, int16: fp32 * 2, int8: fp32 * 2 },
    supportedPrecisions: ['fp64', 'fp32', 'int16', 'int8'] as HardwareProfile['supportedPrecisions'],
    efficiency: { compute: 0.5, memory: 0.8 },
    memory: [
      { name: 'cache', kind: 'cache' as const, sizeBytes: 2 * MB, bandwidthBytesPerSecond: 100e9, energyPjPerByte: Number(sramEnergyPerByte45(2 * MB).toFixed(3)), holds: ['weights' as const, 'activations' as const] },
      { name: 'dram', kind: 'dram' as const, sizeBytes: totalmem(), bandwidthBytesPerSecond: 10e9, energyPjPerByte: DRAM_PJ_PER_BYTE, holds: ['weights' as const, 'activations' as const] },
    ],
    sparsity: { kind: 'none' as const },
    operators: {},
    qdq: 'onnxruntime' as const,
    staticPowerW: 5,
    overheadPerLayerUs: 2,
    sources: {
      clockMHz: reportedMHz > 0 ? osFact(`cpus()[0].speed = ${reportedMHz} MHz (${model})`) : assumed('the OS reports no clock; 2 GHz assumed'),
      cores: osFact(`availableParallelism() = ${cores}`),
      'peakMacsPerSecond.fp32': assumed(`${fp32PerCycle} fp32 MACs per cycle per core (${x86 ? 'AVX2: two 8-lane FMA units' : 'NEON: two 4-lane FMA units'}) x clock x cores`),
      'peakMacsPerSecond.fp64': assumed('half the fp32 lanes'),
      'peakMacsPerSecond.int16': assumed('2x fp32 (16-bit multiply-add pairs)'),
      'peakMacsPerSecond.int8': assumed('2x fp32 (u8s8 multiply-add without VNNI; DESIGN.md measured int8 about 2x fp32 on this stack)'),
      efficiency: assumed('onnxruntime sustains about half of peak on single small layers'),
      'memory.cache.sizeBytes': assumed('2 MB of cache per core in use'),
      'memory.cache.bandwidthBytesPerSecond': assumed('about 100 GB/s from L2'),
      'memory.cache.energyPjPerByte': { kind: 'derived' as const, citation: 'Horowitz SRAM energy by size, 1.25 pJ/B x sqrt(size / 8 KB) at 45 nm; process node unknown, not scaled' },
      'memory.dram.sizeBytes': osFact(`totalmem() = ${totalmem()} bytes`),
      'memory.dram.bandwidthBytesPerSecond': assumed('about 10 GB/s reachable by one thread'),
      'memory.dram.energyPjPerByte': { kind: 'derived' as const, citation: 'Horowitz, ISSCC 2014: 640 pJ per 32-bit DRAM read = 160 pJ/byte' },
      staticPowerW: assumed('package power not attributed to operations, about 5 W'),
      overheadPerLayerUs: assumed('onnxruntime kernel dispatch, about 2 us per node'),
    },
  };
  return HardwareProfileSchema.parse(profile);
}

/** Write a profile as pretty JSON after validating it (a broken profile is never written). */
export function writeProfile(path: string, profile: HardwareProfile): void {
  const checked = HardwareProfileSchema.parse(profile);
  writeFileSync(path, `${JSON.stringify(checked, null, 2)}\n`);
}
