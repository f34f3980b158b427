import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSampler, floatParam, intParam, categoricalParam, boolParam, Study, type Config } from '@edgefit/search';
import { SqliteStudyStorage } from './sqlite-storage.js';
import { MIGRATIONS } from './migrations.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'edgefit-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const space = [
  floatParam('prune.sparsity', 0, 0.9),
  boolParam('quantize.enabled'),
  categoricalParam('quantize.bits', [4, 8], { condition: { param: 'quantize.enabled', equals: true } }),
  intParam('lowrank.rank', 1, 64, { log: true }),
];
const objectives = [
  { name: 'accuracy', direction: 'maximize' as const },
  { name: 'sizeKb', direction: 'minimize' as const },
];
const evaluate = (c: Config) => {
  const s = c['prune.sparsity'] as number;
  const bits = c['quantize.enabled'] ? (c['quantize.bits'] as number) : 32;
  const r = c['lowrank.rank'] as number;
  return { metrics: { accuracy: 0.98 - 0.1 * s * s - (bits === 4 ? 0.01 : 0) - 0.02 / r, sizeKb: (1 - s) * bits * r } };
};

function create(storage: SqliteStudyStorage, sampler: string, seed: number) {
  return Study.create({ id: 'resume', name: 'resume', space, objectives, sampler: createSampler(sampler, seed), storage, clock: () => 'T', constraints: [{ metric: 'accuracy', op: '>=', bound: 0.9 }] });
}

describe('SqliteStudyStorage', () => {
  it('migrates idempotently, in WAL mode', () => {
    const path = join(tmp(), 'nested', 'edgefit.db');
    new SqliteStudyStorage(path).close();
    const again = new SqliteStudyStorage(path);
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = again.db.prepare('SELECT version FROM schema_version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    again.close();
  });

  it('stores studies, trials and sampler state as given', async () => {
    const storage = new SqliteStudyStorage(join(tmp(), 'a.db'));
    const study = create(storage, 'random', 1);
    await study.optimize(evaluate, { trials: 5 });
    expect(storage.listStudies().map((s) => s.id)).toEqual(['resume']);
    expect(storage.loadTrials('resume')).toEqual(study.trials);
    expect(storage.loadSamplerState('resume')).toEqual(study.sampler.state());
    expect(() => create(storage, 'random', 1)).toThrow(/already exists/);
    storage.close();
  });

  it.each(['random', 'sobol', 'nsga2', 'motpe'])('%s: a study killed at 30 trials resumes from the file with exactly the same asks', async (sampler) => {
    const dir = tmp();
    // The uninterrupted run.
    const whole = new SqliteStudyStorage(join(dir, 'whole.db'));
    const ref = create(whole, sampler, 42);
    await ref.optimize(evaluate, { trials: 50 });
    whole.close();

    // The same seed, "crashing" after 30 trials: the db is closed, the objects dropped.
    const path = join(dir, 'crash.db');
    const first = new SqliteStudyStorage(path);
    await create(first, sampler, 42).optimize(evaluate, { trials: 30 });
    first.close();

    // A new instance rebuilds the sampler from what the file says and continues.
    const second = new SqliteStudyStorage(path);
    const resumed = Study.resume(second, 'resume', { clock: () => 'T' });
    expect(resumed.trials).toHaveLength(30);
    await resumed.optimize(evaluate, { trials: 50 });
    expect(resumed.trials.map((t) => t.config)).toEqual(ref.trials.map((t) => t.config));
    expect(resumed.trials.map((t) => t.values)).toEqual(ref.trials.map((t) => t.values));
    expect(resumed.front().map((t) => t.number)).toEqual(ref.front().map((t) => t.number));
    second.close();
  });
});
