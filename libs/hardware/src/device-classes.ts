import type { LayerPlan } from './layer-plan.js';
import type { DeviceClass, HardwareProfile } from './profile-schema.js';

/**
 * Per device class: the share of the profile's peak a layer can use, beyond
 * the profile's flat `efficiency`. Each class loses throughput differently:
 * a CPU by the cores left idle, a GPU by too little parallel work to fill its
 * threads, an FPGA/ASIC matrix engine by partial tiles, an MCU not at all
 * (one core, no parallelism to lose).
 */
export interface UtilizationContext {
  profile: HardwareProfile;
  plan: LayerPlan;
  threads: number;
}

/** Share of an engine dimension of size `tile` a problem dimension of size `x` keeps busy. */
export function tileEfficiency(x: number, tile: number): number {
  if (tile <= 1 || x <= 0) return 1;
  return x / (Math.ceil(x / tile) * tile);
}

const cpu = ({ profile, threads }: UtilizationContext): number => {
  const cores = profile.cores ?? 1;
  return Math.min(threads, cores) / cores;
};

const gpu = ({ profile, plan }: UtilizationContext): number => {
  const need = profile.minParallelism ?? 1;
  const work = Math.max(1, plan.facts.outputElements);
  return Math.min(1, work / need);
};

const accelerator = ({ profile, plan }: UtilizationContext): number => {
  const a = profile.array;
  const mm = plan.facts.matmul;
  if (plan.kind !== 'mac' || !a || !mm) return 1;
  return tileEfficiency(mm.m, a.m) * tileEfficiency(mm.k, a.k) * tileEfficiency(mm.n, a.n);
};

const mcu = (): number => 1;

export const DEVICE_CLASS_UTILIZATION: Readonly<Record<DeviceClass, (ctx: UtilizationContext) => number>> = {
  cpu,
  gpu,
  fpga: accelerator,
  asic: accelerator,
  mcu,
};

export function utilization(ctx: UtilizationContext): number {
  return DEVICE_CLASS_UTILIZATION[ctx.profile.class](ctx);
}
