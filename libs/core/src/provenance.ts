import { cpus, platform, arch, release } from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string | null {
  try {
    const path = name.endsWith('.json') ? name : `${name}/package.json`;
    return (require(path) as { version: string }).version;
  } catch {
    return null;
  }
}

/** What travels with every reported number so that it can be reproduced. */
export interface Provenance {
  edgefit: string;
  node: string;
  onnxruntime: string | null;
  tfjs: string | null;
  cpu: string;
  cores: number;
  platform: string;
}

export function provenance(): Provenance {
  return {
    edgefit: packageVersion('../../../package.json') ?? '0.0.0',
    node: process.version,
    onnxruntime: packageVersion('onnxruntime-node'),
    tfjs: packageVersion('@tensorflow/tfjs-core'),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    platform: `${platform()}-${arch()} ${release()}`,
  };
}

/** What a latency measured on this host depends on, besides the model: the CPU, its logical threads and the runtime. */
export interface HostFingerprint {
  cpu: string;
  /** Logical CPUs (hardware threads) of the host. */
  threads: number;
  onnxruntime: string | null;
}

export function hostFingerprint(): HostFingerprint {
  const p = provenance();
  return { cpu: p.cpu, threads: p.cores, onnxruntime: p.onnxruntime };
}
