import { InvalidArgumentError } from 'commander';

/** A commander parser that turns a bad number into a usage error (exit 2). */
function rangeOption(name: string, min: number, max: number, integer: boolean) {
  const kind = integer ? 'an integer' : 'a number';
  return (value: string): number => {
    const n = Number(value);
    if (!(integer ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be ${kind} from ${min} to ${max}, got '${value}'`);
    }
    return n;
  };
}

export const intOption = (name: string, min: number, max: number) => rangeOption(name, min, max, true);
export const floatOption = (name: string, min: number, max: number) => rangeOption(name, min, max, false);

export function intListOption(name: string, min: number, max: number) {
  const one = intOption(name, min, max);
  return (value: string): number[] => value.split(',').map((v) => one(v.trim()));
}
