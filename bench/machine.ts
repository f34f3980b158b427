import { cpus, totalmem } from 'node:os';
import { provenance } from '@edgefit/core';

/** Every benchmark line states the machine it ran on. */
export function machine() {
  return { ...provenance(), memoryGiB: Math.round(totalmem() / 2 ** 30), logicalCpus: cpus().length };
}

export function printResult(name: string, figures: object): void {
  process.stdout.write(`${JSON.stringify({ bench: name, date: new Date().toISOString(), machine: machine(), ...figures })}\n`);
}
