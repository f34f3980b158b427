#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx edgefit` works right after
// `npm ci`, with no build step. The tsconfig path is made absolute (and put in
// the environment for child processes) so the @edgefit/* aliases resolve from
// any working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
process.env.TSX_TSCONFIG_PATH ??= tsconfig;
register({ tsconfig });
await import('../apps/cli/src/main.ts');
