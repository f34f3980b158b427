import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const lib = (name: string) => fileURLToPath(new URL(`./libs/${name}/src/index.ts`, import.meta.url));
const libs = ['core', 'onnx', 'data', 'train', 'hardware', 'compress', 'evaluate', 'search', 'store', 'execute'];

export default defineConfig({
  resolve: {
    alias: Object.fromEntries(libs.map((name) => [`@edgefit/${name}`, lib(name)])),
  },
  test: {
    include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.e2e.spec.ts'],
    // onnxruntime-node and the tfjs WASM backend are native/heavy: forks keep each file isolated.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
