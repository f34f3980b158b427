import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `node --import <tsx> <script>` for a worker script of this lib (a .ts file
 * beside this one), with the repo's tsconfig so that the @edgefit aliases
 * resolve in the child.
 */
export function tsxWorkerCommand(script: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const worker = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const tsconfig = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
  const env = { ...process.env };
  if (!env.TSX_TSCONFIG_PATH && existsSync(tsconfig)) env.TSX_TSCONFIG_PATH = tsconfig;
  // glibc's dynamic mmap threshold lets a large allocation (a 200 KB output tensor) come from fresh
  // pages on some runs and from the heap on others; on a VM where a fresh page costs ~10 µs to fault
  // in, that made one model's median jump 4x between processes (0.18 vs 0.8 ms). Fixed thresholds
  // keep freed memory in the heap, so every run of a warm process reuses it. A caller's own setting wins.
  env.GLIBC_TUNABLES ??= 'glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=536870912';
  return { args: ['--import', tsx, worker], env };
}
