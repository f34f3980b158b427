import type { HardwareProfile, MemoryLevel } from './profile-schema.js';

/**
 * Which memory level serves each layer's weights and activations.
 *
 * Weights, level by level in the profile's order (fastest first):
 * - cache: serves every weight only if the whole model (weights + peak
 *   activations) stays warm in it between inferences; otherwise none;
 * - sram (software-managed, e.g. the Edge TPU's parameter cache): weights are
 *   placed in layer order until it is full — the rest is streamed from the
 *   next level each inference, as the Edge TPU compiler does;
 * - dram / flash: the backing store takes whatever is left.
 * Activations of a layer come from the first level they fit in.
 */
export interface BytesAt {
  level: MemoryLevel;
  bytes: number;
}

export function placeWeights(profile: HardwareProfile, perLayer: readonly number[], peakActivationBytes: number): BytesAt[][] {
  const levels = profile.memory.filter((l) => l.holds.includes('weights'));
  const total = perLayer.reduce((a, b) => a + b, 0);
  const capacity = new Map<MemoryLevel, number>(
    levels.map((l) => [l, l.kind === 'sram' ? Math.max(0, l.sizeBytes - (l.holds.includes('activations') ? peakActivationBytes : 0)) : l.sizeBytes]),
  );
  return perLayer.map((bytes) => {
    const parts: BytesAt[] = [];
    let left = bytes;
    for (const level of levels) {
      if (left <= 0) break;
      let take = 0;
      if (level.kind === 'cache') take = total + peakActivationBytes <= level.sizeBytes ? left : 0;
      else if (level.kind === 'sram') {
        take = Math.min(left, capacity.get(level)!);
        capacity.set(level, capacity.get(level)! - take);
      } else take = left;
      if (take > 0) parts.push({ level, bytes: take });
      left -= take;
    }
    if (left > 0) parts.push({ level: levels[levels.length - 1]!, bytes: left }); // overflow: `fits` reports it
    return parts;
  });
}

/** The level a layer's activations (inputs + outputs) are served from. */
export function activationLevel(profile: HardwareProfile, workingSetBytes: number): MemoryLevel {
  const levels = profile.memory.filter((l) => l.holds.includes('activations'));
  return levels.find((l) => l.kind === 'dram' || l.kind === 'flash' || workingSetBytes <= l.sizeBytes) ?? levels[levels.length - 1]!;
}

/** Where the weights live between inferences: the last (backing) level holding weights. */
export function weightHome(profile: HardwareProfile): MemoryLevel {
  const levels = profile.memory.filter((l) => l.holds.includes('weights'));
  return levels[levels.length - 1]!;
}

/** Capacity for activations and RAM-resident weights: every sram / dram level that holds activations. */
export function ramCapacity(profile: HardwareProfile): number {
  return profile.memory.filter((l) => (l.kind === 'sram' || l.kind === 'dram') && l.holds.includes('activations')).reduce((s, l) => s + l.sizeBytes, 0);
}

export function flashCapacity(profile: HardwareProfile): number | null {
  const flash = profile.memory.filter((l) => l.kind === 'flash');
  return flash.length === 0 ? null : flash.reduce((s, l) => s + l.sizeBytes, 0);
}
