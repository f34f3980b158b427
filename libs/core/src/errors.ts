/**
 * The one error hierarchy of edgefit. Every error a user can cause is an
 * `EdgefitError` subclass whose message says what is wrong and what to do;
 * the CLI maps `UserInputError` to exit code 2 and the API to HTTP 4xx.
 * Anything else is an internal failure (exit code 1, HTTP 500).
 */
export class EdgefitError extends Error {
  /** Stable machine-readable code, e.g. `INVALID_MODEL`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad input from the user: a file, a flag, a spec. CLI exit 2, HTTP 400. */
export class UserInputError extends EdgefitError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'INVALID_INPUT', message, options);
  }
}

/** A model file that cannot be read or is unsafe to run. */
export class InvalidModelError extends UserInputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'INVALID_MODEL' });
  }
}

/** An operator edgefit does not know how to handle (by name, never guessed). */
export class UnsupportedOperatorError extends UserInputError {
  readonly op: string;
  constructor(op: string, where: string, options?: { cause?: unknown }) {
    super(`unsupported operator '${op}' ${where}`, { ...options, code: 'UNSUPPORTED_OPERATOR' });
    this.op = op;
  }
}

/** A dataset that is missing, malformed or does not fit the model. */
export class DatasetError extends UserInputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'INVALID_DATASET' });
  }
}

/** A requested thing (model, profile, study) that does not exist. */
export class NotFoundError extends UserInputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'NOT_FOUND' });
  }
}

/** A resource limit (size, time, count) was exceeded; the limit is named. */
export class LimitExceededError extends UserInputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'LIMIT_EXCEEDED' });
  }
}

export function isUserInputError(err: unknown): err is UserInputError {
  return err instanceof UserInputError;
}

/** One line, no stack: what a user sees for an error. */
export function errorLine(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? String(err);
  return String(err);
}
