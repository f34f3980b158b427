/**
 * The parameter kinds a search space is made of. Plain JSON data, so a space
 * can be stored with its study and rebuilt on resume.
 */
export type ParamValue = number | string | boolean;
export type Config = Record<string, ParamValue>;

/** A parameter is searched only while its parent has one of the given values. */
export interface Condition {
  param: string;
  equals: ParamValue | readonly ParamValue[];
}

interface Base {
  name: string;
  condition?: Condition;
  description?: string;
}

export type ParamSpec =
  | (Base & { kind: 'int'; min: number; max: number; log?: boolean; step?: number })
  | (Base & { kind: 'float'; min: number; max: number; log?: boolean })
  | (Base & { kind: 'categorical'; choices: readonly ParamValue[] })
  | (Base & { kind: 'bool' });

export const intParam = (name: string, min: number, max: number, opts: { log?: boolean; step?: number; condition?: Condition } = {}): ParamSpec => ({ name, kind: 'int', min, max, ...opts });
export const floatParam = (name: string, min: number, max: number, opts: { log?: boolean; condition?: Condition } = {}): ParamSpec => ({ name, kind: 'float', min, max, ...opts });
export const categoricalParam = (name: string, choices: readonly ParamValue[], opts: { condition?: Condition } = {}): ParamSpec => ({ name, kind: 'categorical', choices, ...opts });
export const boolParam = (name: string, opts: { condition?: Condition } = {}): ParamSpec => ({ name, kind: 'bool', ...opts });

/** Number of discrete values of a parameter, or Infinity for a float. */
export function cardinality(p: ParamSpec): number {
  switch (p.kind) {
    case 'bool':
      return 2;
    case 'categorical':
      return p.choices.length;
    case 'int':
      return Math.floor((p.max - p.min) / (p.step ?? 1)) + 1;
    case 'float':
      return Infinity;
  }
}

/** Whether the parameter is discrete (categorical-like) in the unit cube: no order to exploit. */
export const isCategorical = (p: ParamSpec): boolean => p.kind === 'categorical' || p.kind === 'bool';
