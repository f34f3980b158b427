import { InvalidArgumentError } from 'commander';

/** commander parsers that turn a bad flag value into a usage error (exit 2). */
export function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
    }
    return n;
  };
}

export function floatOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}, got '${value}'`);
    }
    return n;
  };
}

export function intListOption(name: string, min: number, max: number) {
  const one = intOption(name, min, max);
  return (value: string): number[] => value.split(',').map((v) => one(v.trim()));
}
