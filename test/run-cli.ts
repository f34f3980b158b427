import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/edgefit.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The single JSON object the CLI printed with --json (undefined otherwise). */
  json?: Record<string, any>;
}

/** Runs the real `edgefit` binary in a child process, as a user would. */
export function runCli(args: string[], opts: { timeoutMs?: number; cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
  });
  if (r.error) throw r.error;
  const stdout = r.stdout ?? '';
  let json: Record<string, any> | undefined;
  if (args.includes('--json') && r.status === 0) {
    const lines = stdout.trim().split('\n');
    if (lines.length !== 1) throw new Error(`--json must print exactly one line on stdout, got ${lines.length}:\n${stdout.slice(0, 500)}`);
    json = JSON.parse(lines[0]!);
  }
  return { code: r.status ?? -1, stdout, stderr: r.stderr ?? '', json };
}
