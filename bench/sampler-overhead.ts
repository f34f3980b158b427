/**
 * Sampler overhead: the time the search engine itself adds per trial (ask +
 * tell through the study controller, in-memory storage), at 1,000 trials on
 * a synthetic 2-objective problem (ZDT1, 10 variables) whose evaluation costs
 * nothing. Prints one JSON line: median / p90 ms per ask+tell per sampler.
 *
 *   node --import tsx bench/sampler-overhead.ts [--trials 1000] [--seed 1]
 */
import { createSampler, SAMPLER_NAMES, Study, zdt1, zdtSpace } from '@edgefit/search';
import { printResult } from './machine.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const trials = arg('trials', 1000);
const seed = arg('seed', 1);

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const round = (x: number) => Math.round(x * 1000) / 1000;

const samplers: Record<string, { medianMs: number; p90Ms: number; maxMs: number; lastHundredMedianMs: number; totalS: number; hypervolume: number }> = {};
for (const name of SAMPLER_NAMES) {
  const study = Study.create({
    id: name,
    name,
    space: zdtSpace(10),
    objectives: [
      { name: 'f1', direction: 'minimize' },
      { name: 'f2', direction: 'minimize' },
    ],
    sampler: createSampler(name, seed),
  });
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    const trial = study.ask();
    if (!trial.finished) {
      const values = zdt1(trial.config);
      study.tell(trial, { values });
    }
    times.push(performance.now() - t0);
  }
  samplers[name] = {
    medianMs: round(quantile(times, 0.5)),
    p90Ms: round(quantile(times, 0.9)),
    maxMs: round(Math.max(...times)),
    lastHundredMedianMs: round(quantile(times.slice(-100), 0.5)),
    totalS: round((performance.now() - start) / 1000),
    hypervolume: round(study.hypervolume([1.1, 11])),
  };
  process.stderr.write(`${name}: ${JSON.stringify(samplers[name])}\n`);
}
printResult('sampler-overhead', { problem: 'zdt1-10d', trials, seed, storage: 'memory', samplers });
