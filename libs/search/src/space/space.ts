import { hashJson, UserInputError } from '@edgefit/core';
import { cardinality, floatGridValue, type Config, type ParamSpec, type ParamValue } from './params.js';

/**
 * A search space: named parameters in a fixed order, each mapped to one
 * coordinate of the unit hypercube. Samplers work in the cube (Sobol, TPE,
 * NSGA-II all want [0,1]^d) and `decode` turns a point into a config,
 * dropping parameters whose condition is not met. Conditions may only refer
 * to parameters declared earlier, so one pass in order resolves them.
 */
export class SearchSpace {
  readonly params: readonly ParamSpec[];
  private readonly index = new Map<string, number>();

  constructor(params: readonly ParamSpec[]) {
    this.params = params;
    params.forEach((p, i) => {
      if (this.index.has(p.name)) throw new UserInputError(`search space: duplicate parameter '${p.name}'`);
      if (p.condition && !this.index.has(p.condition.param)) {
        throw new UserInputError(`search space: parameter '${p.name}' depends on '${p.condition.param}', which must be declared before it`);
      }
      if ((p.kind === 'int' || p.kind === 'float') && !(p.min <= p.max)) throw new UserInputError(`search space: parameter '${p.name}' has min > max`);
      if ((p.kind === 'int' || p.kind === 'float') && p.log && p.min <= 0) throw new UserInputError(`search space: log parameter '${p.name}' needs min > 0`);
      if (p.kind === 'float' && p.step !== undefined && (p.log || !(p.step > 0))) throw new UserInputError(`search space: float parameter '${p.name}' needs a positive step and no log scale`);
      if (p.kind === 'categorical' && p.choices.length === 0) throw new UserInputError(`search space: parameter '${p.name}' has no choices`);
      this.index.set(p.name, i);
    });
  }

  get dims(): number {
    return this.params.length;
  }

  param(name: string): ParamSpec | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.params[i];
  }

  /** Whether a parameter is active given the (partial) config of its ancestors. */
  isActive(p: ParamSpec, config: Config): boolean {
    if (!p.condition) return true;
    const parent = config[p.condition.param];
    if (parent === undefined) return false; // parent itself inactive
    const eq = p.condition.equals;
    return Array.isArray(eq) ? eq.includes(parent) : eq === parent;
  }

  /** Unit-cube coordinate → value of one parameter. */
  decodeValue(p: ParamSpec, u: number): ParamValue {
    const x = Math.min(Math.max(u, 0), 1);
    switch (p.kind) {
      case 'bool':
        return x >= 0.5;
      case 'categorical':
        return p.choices[Math.min(Math.floor(x * p.choices.length), p.choices.length - 1)]!;
      case 'float':
        if (p.step) return floatGridValue(p.min, p.step, Math.min(Math.floor(x * cardinality(p)), cardinality(p) - 1));
        if (x === 0 || x === 1) return x === 0 ? p.min : p.max; // exact end points, free of exp/log rounding
        const v = p.log ? Math.exp(Math.log(p.min) + x * (Math.log(p.max) - Math.log(p.min))) : p.min + x * (p.max - p.min);
        return Math.min(Math.max(v, p.min), p.max);
      case 'int': {
        const step = p.step ?? 1;
        const n = cardinality(p);
        if (p.log) {
          // Sample on a log scale over [min-½, max+½], then snap to the grid.
          const [lo, hi] = logIntBounds(p.min, p.max);
          const v = Math.exp(lo + x * (hi - lo));
          return p.min + Math.min(Math.max(Math.round((v - p.min) / step), 0), n - 1) * step;
        }
        return p.min + Math.min(Math.floor(x * n), n - 1) * step;
      }
    }
  }

  /** Value → unit-cube coordinate (the centre of its cell for discrete kinds). */
  encodeValue(p: ParamSpec, v: ParamValue): number {
    switch (p.kind) {
      case 'bool':
        return v ? 0.75 : 0.25;
      case 'categorical': {
        const i = p.choices.indexOf(v);
        if (i < 0) throw new UserInputError(`parameter '${p.name}': '${String(v)}' is not a choice`);
        return (i + 0.5) / p.choices.length;
      }
      case 'float':
        if (p.step) return (Math.round(((v as number) - p.min) / p.step) + 0.5) / cardinality(p); // the centre of its cell
        if (p.max === p.min) return 0.5;
        return p.log ? (Math.log(v as number) - Math.log(p.min)) / (Math.log(p.max) - Math.log(p.min)) : ((v as number) - p.min) / (p.max - p.min);
      case 'int': {
        if (p.log) {
          const [lo, hi] = logIntBounds(p.min, p.max);
          return Math.min(Math.max((Math.log(v as number) - lo) / (hi - lo), 0), 1);
        }
        const n = cardinality(p);
        return (((v as number) - p.min) / (p.step ?? 1) + 0.5) / n;
      }
    }
  }

  /** A point of the cube → a config with only the active parameters. */
  decode(u: readonly number[]): Config {
    const config: Config = {};
    this.params.forEach((p, i) => {
      if (this.isActive(p, config)) config[p.name] = this.decodeValue(p, u[i] ?? 0.5);
    });
    return config;
  }

  /** A config → a point of the cube; inactive parameters are NaN (samplers fill or skip them). */
  encode(config: Config): number[] {
    return this.params.map((p) => (p.name in config ? this.encodeValue(p, config[p.name]!) : NaN));
  }

  /** Throws a UserInputError naming the first parameter that is missing, unknown, inactive or out of range. */
  validate(config: Config): void {
    for (const key of Object.keys(config)) if (!this.index.has(key)) throw new UserInputError(`config: unknown parameter '${key}'`);
    for (const p of this.params) {
      const active = this.isActive(p, config);
      const v = config[p.name];
      if (!active) {
        if (v !== undefined) throw new UserInputError(`config: parameter '${p.name}' is set but inactive`);
        continue;
      }
      if (v === undefined) throw new UserInputError(`config: parameter '${p.name}' is missing`);
      if (!this.contains(p, v)) throw new UserInputError(`config: parameter '${p.name}' = ${String(v)} is out of range`);
    }
  }

  contains(p: ParamSpec, v: ParamValue): boolean {
    switch (p.kind) {
      case 'bool':
        return typeof v === 'boolean';
      case 'categorical':
        return p.choices.includes(v);
      case 'float':
        if (typeof v !== 'number' || v < p.min || v > p.max) return false;
        return !p.step || Math.abs(v - floatGridValue(p.min, p.step, Math.round((v - p.min) / p.step))) <= 1e-9 * Math.max(1, Math.abs(v));
      case 'int':
        return typeof v === 'number' && Number.isInteger(v) && v >= p.min && v <= p.max && (v - p.min) % (p.step ?? 1) === 0;
    }
  }

  /** Canonical hash of a config (keys sorted; only active params): the trial-cache key. */
  hash(config: Config): string {
    const active: Config = {};
    for (const p of this.params) if (p.name in config && this.isActive(p, active)) active[p.name] = config[p.name]!;
    return hashJson(active);
  }

  toJSON(): { params: ParamSpec[] } {
    return { params: [...this.params] };
  }

  static fromJSON(json: { params: ParamSpec[] }): SearchSpace {
    return new SearchSpace(json.params);
  }
}

/** Log-scale bounds of an integer range, widened by half a step so end values get a fair share. */
function logIntBounds(min: number, max: number): [number, number] {
  return [Math.log(Math.max(min - 0.5, min / 2)), Math.log(max + 0.5)];
}
