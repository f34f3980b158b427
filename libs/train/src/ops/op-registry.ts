import type { OpDefinition } from './op-types.js';

const ops = new Map<string, OpDefinition>();

/** Add an op to the executor's table; a second definition of the same op is a bug, so it throws. */
export function registerOp(def: OpDefinition): void {
  if (ops.has(def.opType)) throw new Error(`executor op '${def.opType}' is registered twice`);
  ops.set(def.opType, def);
}

export function findOp(opType: string): OpDefinition | undefined {
  return ops.get(opType);
}

export function supportedOps(): string[] {
  return [...ops.keys()].sort();
}
