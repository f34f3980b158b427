import { describe, expect, it } from 'vitest';
import { categoricalParam, floatParam } from '../space/params.js';
import { RandomSampler } from '../samplers/random.js';
import { GridSampler } from '../samplers/grid.js';
import { InMemoryStudyStorage } from './storage.js';
import { Study } from './study.js';
import { hyperband, successiveHalving } from './multi-fidelity.js';

const objectives = [
  { name: 'accuracy', direction: 'maximize' as const },
  { name: 'latencyMs', direction: 'minimize' as const },
];
const space = [floatParam('x', 0, 1), categoricalParam('bits', [4, 8])];
const evalToy = (c: Record<string, unknown>) => {
  const x = c.x as number;
  return { metrics: { accuracy: 0.9 + 0.09 * x - (c.bits === 4 ? 0.02 : 0), latencyMs: 5 + 10 * x * (c.bits === 4 ? 0.6 : 1) } };
};

function study(opts: Partial<Parameters<typeof Study.create>[0]> = {}) {
  return Study.create({ id: 's', name: 's', space, objectives, sampler: new RandomSampler(1), clock: () => 'T', ...opts });
}

describe('Trial lifecycle', () => {
  it('a finished trial never changes', () => {
    const s = study();
    const t = s.ask();
    expect(t.state).toBe('RUNNING');
    s.tell(t, evalToy(t.config));
    expect(t.state).toBe('COMPLETE');
    expect(() => s.tell(t, evalToy(t.config))).toThrow(/finished trial/);
    expect(() => s.fail(t.number, 'x')).toThrow(/finished trial/);
    expect(() => t.setAttr('a', 1)).toThrow(/finished trial/);
    expect(() => {
      (t.record.values as number[])[0] = 0;
    }).toThrow(TypeError); // deep-frozen
  });

  it('records metrics, values in objective order and constraint violations', () => {
    const s = study({ constraints: [{ metric: 'latencyMs', op: '<=', bound: 10 }] });
    const t = s.tell(s.ask(), { metrics: { accuracy: 0.95, latencyMs: 12 }, artifact: 'abc' });
    expect(t.record).toMatchObject({ values: [0.95, 12], constraints: [2], artifact: 'abc', state: 'COMPLETE' });
    expect(() => s.tell(s.ask(), { metrics: { accuracy: 1 } })).toThrow(/'latencyMs' missing/);
  });
});

describe('Study', () => {
  it('does not evaluate the same config twice', async () => {
    // A 2×2 grid: after 4 distinct configs every ask is a cache hit.
    const s = study({ space: [categoricalParam('a', [1, 2]), categoricalParam('bits', [4, 8])], sampler: new GridSampler({ seed: 1 }) });
    let evaluations = 0;
    await s.optimize(
      (c) => {
        evaluations++;
        return { values: [c.a as number, c.bits as number] };
      },
      { trials: 10 },
    );
    expect(evaluations).toBe(4);
    expect(s.trials).toHaveLength(10);
    const cached = s.trials.filter((t) => t.cachedFrom !== undefined);
    expect(cached).toHaveLength(6);
    for (const t of cached) expect(t.values).toEqual(s.trials[t.cachedFrom!]!.values);
  });

  it('honours trial and wall-time budgets; failures do not stop the study', async () => {
    const s = study();
    await s.optimize((c, t) => {
      if (t.number === 2) throw new Error('boom');
      return evalToy(c);
    }, { trials: 12 });
    expect(s.trials).toHaveLength(12);
    expect(s.trials[2]).toMatchObject({ state: 'FAIL', error: 'boom' });
    const w = study({ id: 'w' });
    await w.optimize(async (c) => {
      await new Promise((r) => setTimeout(r, 5));
      return evalToy(c);
    }, { wallTimeMs: 60 });
    expect(w.trials.length).toBeGreaterThan(1);
    expect(w.trials.length).toBeLessThan(30);
  });

  it('front, hypervolume and knee in the objectives’ own directions', async () => {
    const s = study();
    await s.optimize(evalToy, { trials: 40 });
    const front = s.front();
    expect(front.length).toBeGreaterThan(2);
    for (const a of front) for (const b of front) if (a !== b) expect(a.values![0]! > b.values![0]! && a.values![1]! < b.values![1]!).toBe(false);
    expect(s.hypervolume([0.85, 20])).toBeGreaterThan(0);
    expect(front).toContain(s.knee());
  });

  it('hands out enqueued configs first, keeps them across a restart, stamps provenance', () => {
    const storage = new InMemoryStudyStorage();
    const s = study({ storage });
    const q1 = s.enqueue({ x: 1, bits: 8 });
    s.enqueue({ x: 0, bits: 4 });
    expect(q1.state).toBe('WAITING');
    expect(() => s.tell(q1, evalToy(q1.config))).toThrow(/WAITING/);
    const a = s.ask();
    expect(a.number).toBe(0);
    expect(a.config).toEqual({ x: 1, bits: 8 });
    s.tell(a, evalToy(a.config));
    expect(s.trials[0]!.provenance).toMatchObject({ node: process.version, samplerSeed: 1 });
    const r = Study.resume(storage, 's');
    expect(r.trials[1]!.state).toBe('WAITING');
    const b = r.ask();
    expect(b.config).toEqual({ x: 0, bits: 4 });
    expect(r.ask().number).toBe(2); // then the sampler
    expect(() => s.enqueue({ x: 2, bits: 8 })).toThrow(/'x'/);
  });

  it('resumes from storage; trials left running by a crash are marked failed', async () => {
    const storage = new InMemoryStudyStorage();
    const s = study({ storage });
    await s.optimize(evalToy, { trials: 5 });
    s.ask(); // crash while this one runs
    const r = Study.load(storage, 's', new RandomSampler(1));
    expect(r.trials).toHaveLength(6);
    expect(r.trials[5]).toMatchObject({ state: 'FAIL', error: 'interrupted' });
    expect(() => Study.load(storage, 's', new GridSampler())).toThrow(/sampler 'random'/);
    expect(() => Study.load(storage, 'nope', new RandomSampler(1))).toThrow(/not found/);
  });
});

describe('multi-fidelity', () => {
  // Higher fidelity = more accurate estimate of the true accuracy; latency is known exactly.
  const atFidelity = (c: Record<string, unknown>, f: number) => {
    const m = evalToy(c).metrics;
    return { metrics: { ...m, accuracy: m.accuracy - 0.05 / f } };
  };

  it('successive halving promotes the top 1/η per rung and records it', async () => {
    const s = study();
    const calls: number[] = [];
    const done = await successiveHalving(s, (c, f) => (calls.push(f), atFidelity(c, f)), { fidelities: [1, 3, 9], eta: 3 });
    expect(calls.filter((f) => f === 1)).toHaveLength(9);
    expect(calls.filter((f) => f === 3)).toHaveLength(3);
    expect(calls.filter((f) => f === 9)).toHaveLength(1);
    expect(done).toHaveLength(9);
    const complete = s.trials.filter((t) => t.state === 'COMPLETE');
    expect(complete).toHaveLength(1);
    expect(complete[0]!.fidelity).toBe(9);
    expect(complete[0]!.promotions.map((p) => p.toRung)).toEqual([1, 2]);
    expect(complete[0]!.intermediate.map((r) => r.fidelity)).toEqual([1, 3]);
    const pruned = s.trials.filter((t) => t.state === 'PRUNED');
    expect(pruned).toHaveLength(8);
    expect(pruned.filter((t) => t.promotions.length === 1)).toHaveLength(2);
  });

  it('hyperband runs every bracket', async () => {
    const s = study();
    await hyperband(s, atFidelity, { fidelities: [1, 3, 9], eta: 3 });
    // Brackets: 9 configs from rung 0, 5 (⌈3/2·3⌉) from rung 1, 3 from rung 2.
    expect(s.trials).toHaveLength(9 + 5 + 3);
    expect(s.trials.filter((t) => t.state === 'COMPLETE' && t.cachedFrom === undefined)).toHaveLength(1 + 1 + 3);
  });
});
