import { CommanderError } from 'commander';
import { errorLine, isUserInputError } from '@edgefit/core';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * Maps any thrown value to the CLI contract: bad input (our UserInputError or
 * a commander usage error) → one line on stderr, exit 2; anything else →
 * one line (stack with EDGEFIT_DEBUG=1), exit 1.
 */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
  return isUserInputError(err) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}

export function reportError(err: unknown): number {
  const code = exitCodeFor(err);
  if (err instanceof CommanderError) {
    // commander already printed its message through configureOutput.
    return code;
  }
  const prefix = code === EXIT_BAD_INPUT ? 'error' : 'internal error';
  process.stderr.write(`edgefit: ${prefix}: ${errorLine(err)}\n`);
  if (process.env.EDGEFIT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return code;
}
