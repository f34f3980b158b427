import { spawn, type ChildProcess } from 'node:child_process';
import { EdgefitError, InvalidModelError, LimitExceededError, UserInputError } from '@edgefit/core';

/** What a worker prints as its last stdout line when it fails on purpose. */
export interface WorkerFailure {
  error: { code: string; message: string };
}

export interface WorkerJob {
  pid: number;
  /** The JSON value of the worker's last stdout line. */
  result: Promise<unknown>;
}

const MAX_OUTPUT = 1024 * 1024;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Children never outlive this process. */
function trackChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => live.forEach((c) => c.kill('SIGKILL')));
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Rebuild a worker-side error as the EdgefitError class of its code. */
function fromFailure({ error }: WorkerFailure, label: string): EdgefitError {
  const message = `${label}: ${error.message}`;
  if (error.code === 'INVALID_MODEL') return new InvalidModelError(message);
  if (error.code === 'LIMIT_EXCEEDED') return new LimitExceededError(message);
  if (error.code.startsWith('INVALID_') || error.code === 'UNSUPPORTED_OPERATOR') return new UserInputError(message, { code: error.code });
  return new EdgefitError(error.code || 'WORKER_FAILED', message);
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/** The line of a child's stderr that says what went wrong (Node ends a crash report with its version). */
function stderrReason(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !/^Node\.js v\d/.test(l));
  return (lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? lines.pop() ?? '').slice(0, 300);
}

/**
 * Run `node <args>` as a child: `input` goes as JSON on stdin, the result is
 * the JSON of the last stdout line. A crash, a bad answer or the timeout
 * (the child is SIGKILLed) rejects with an EdgefitError; nothing hangs.
 */
export function spawnJsonWorker(args: string[], input: unknown, opts: { timeoutMs: number; label: string; env?: NodeJS.ProcessEnv }): WorkerJob {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
  trackChild(child);
  const result = new Promise<unknown>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout!.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-MAX_OUTPUT)));
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-MAX_OUTPUT)));
    child.stdin!.on('error', () => {}); // a child that dies early closes its stdin: the exit handler reports it
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new EdgefitError('WORKER_FAILED', `${opts.label}: cannot start the worker process (${err.message})`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new LimitExceededError(`${opts.label} did not finish within the time limit of ${opts.timeoutMs} ms; the worker was killed`));
      let answer: unknown;
      try {
        answer = JSON.parse(lastLine(stdout));
      } catch {
        answer = undefined;
      }
      if (answer && typeof answer === 'object' && 'error' in answer) return reject(fromFailure(answer as WorkerFailure, opts.label));
      if (code === 0 && answer !== undefined) return resolve(answer);
      const why = signal ? `killed by ${signal}` : code === 0 ? 'no JSON result on stdout' : `exit code ${code}`;
      const detail = stderrReason(stderr);
      reject(new EdgefitError('WORKER_FAILED', `${opts.label}: worker failed (${why})${detail ? `: ${detail}` : ''}`));
    });
    child.stdin!.end(JSON.stringify(input));
  });
  return { pid: child.pid ?? -1, result };
}

/** Worker side: read all of stdin as JSON. */
export async function readStdinJson(): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Worker side: print the result (or the failure) as the last stdout line and set the exit code. */
export function writeWorkerAnswer(value: unknown, err?: unknown): void {
  if (err === undefined) {
    process.stdout.write(`${JSON.stringify(value)}\n`);
    return;
  }
  const code = err instanceof EdgefitError ? err.code : 'WORKER_FAILED';
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  process.stdout.write(`${JSON.stringify({ error: { code, message } } satisfies WorkerFailure)}\n`);
  process.exitCode = 1;
}
