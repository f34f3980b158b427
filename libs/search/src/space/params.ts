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
  | (Base & { kind: 'float'; min: number; max: number; log?: boolean; step?: number })
  | (Base & { kind: 'categorical'; choices: readonly ParamValue[] })
  | (Base & { kind: 'bool' });

export const intParam = (name: string, min: number, max: number, opts: { log?: boolean; step?: number; condition?: Condition } = {}): ParamSpec => ({ name, kind: 'int', min, max, ...opts });
export const floatParam = (name: string, min: number, max: number, opts: { log?: boolean; step?: number; condition?: Condition } = {}): ParamSpec => ({ name, kind: 'float', min, max, ...opts });
export const categoricalParam = (name: string, choices: readonly ParamValue[], opts: { condition?: Condition } = {}): ParamSpec => ({ name, kind: 'categorical', choices, ...opts });
export const boolParam = (name: string, opts: { condition?: Condition } = {}): ParamSpec => ({ name, kind: 'bool', ...opts });

/**
 * Grid values of a float range with a step: min, min + step, … up to max
 * (a hair of tolerance so that 0.05…0.5 by 0.05 has its 10 values despite
 * binary fractions).
 */
const floatSteps = (min: number, max: number, step: number) => Math.floor((max - min) / step + 1e-9) + 1;

/** The i-th value of a float grid, rounded so that equal configs hash equal (0.15, not 0.15000000000000002). */
export const floatGridValue = (min: number, step: number, i: number) => Number((min + i * step).toPrecision(12));

/** Number of discrete values of a parameter, or Infinity for a float without a step. */
export function cardinality(p: ParamSpec): number {
  switch (p.kind) {
    case 'bool':
      return 2;
    case 'categorical':
      return p.choices.length;
    case 'int':
      return Math.floor((p.max - p.min) / (p.step ?? 1)) + 1;
    case 'float':
      return p.step ? floatSteps(p.min, p.max, p.step) : Infinity;
  }
}

/** Whether the parameter is discrete (categorical-like) in the unit cube: no order to exploit. */
export const isCategorical = (p: ParamSpec): boolean => p.kind === 'categorical' || p.kind === 'bool';
