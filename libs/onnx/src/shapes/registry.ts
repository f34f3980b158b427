import { EdgefitError } from '@edgefit/core';
import type { ShapeEntry, ShapeFn } from './types.js';

/** 'ai.onnx' and '' name the same default domain. */
export function normalizeDomain(domain: string | null | undefined): string {
  return !domain || domain === 'ai.onnx' ? '' : domain;
}

function key(op: string, domain: string): string {
  return `${normalizeDomain(domain)}::${op}`;
}

/**
 * Shape functions by (domain, op). Registering the same op twice is a bug in
 * edgefit, so it fails loudly instead of letting the later one win silently.
 */
export class ShapeRegistry {
  private readonly fns = new Map<string, ShapeEntry>();

  register(entry: ShapeEntry): this {
    const k = key(entry.op, entry.domain);
    if (this.fns.has(k)) {
      throw new EdgefitError('DUPLICATE_SHAPE_FUNCTION', `shape function for operator '${entry.op}' (domain '${normalizeDomain(entry.domain)}') is registered twice`);
    }
    this.fns.set(k, { ...entry, domain: normalizeDomain(entry.domain) });
    return this;
  }

  registerAll(list: readonly ShapeEntry[]): this {
    for (const e of list) this.register(e);
    return this;
  }

  get(op: string, domain: string | null | undefined): ShapeFn | undefined {
    return this.fns.get(key(op, domain ?? ''))?.infer;
  }

  /** Registered ops, as `{ op, domain }`. */
  ops(): { op: string; domain: string }[] {
    return [...this.fns.values()].map(({ op, domain }) => ({ op, domain }));
  }
}
