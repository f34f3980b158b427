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
  return { args: ['--import', tsx, worker], env };
}
