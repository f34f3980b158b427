/** Standard multi-objective test problems, for tests and benchmarks of the samplers. */
import { floatParam, type ParamSpec } from '../space/params.js';
import type { Config } from '../space/params.js';

/** ZDT1/ZDT2 (Zitzler, Deb & Thiele 2000): 2 objectives, n variables in [0,1], both minimized. */
export function zdtSpace(n = 10): ParamSpec[] {
  return Array.from({ length: n }, (_, i) => floatParam(`x${i}`, 0, 1));
}

function zdtG(c: Config, n: number): number {
  let s = 0;
  for (let i = 1; i < n; i++) s += c[`x${i}`] as number;
  return 1 + (9 * s) / (n - 1);
}

export function zdt1(c: Config, n = 10): [number, number] {
  const f1 = c.x0 as number;
  const g = zdtG(c, n);
  return [f1, g * (1 - Math.sqrt(f1 / g))];
}

export function zdt2(c: Config, n = 10): [number, number] {
  const f1 = c.x0 as number;
  const g = zdtG(c, n);
  return [f1, g * (1 - (f1 / g) ** 2)];
}
