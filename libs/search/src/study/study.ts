import { UserInputError, NotFoundError, provenance } from '@edgefit/core';
import { SearchSpace } from '../space/space.js';
import type { Config, ParamSpec } from '../space/params.js';
import type { Sampler, SamplerContext } from '../samplers/sampler.js';
import { createSampler } from '../samplers/registry.js';
import { nonDominatedSort, rankOrder, toMinimization, violation, type Direction } from '../pareto/dominance.js';
import { defaultReferencePoint, hypervolume } from '../pareto/hypervolume.js';
import { kneePoint } from '../pareto/knee.js';
import { Trial, type IntermediateResult, type Promotion, type TrialRecord, type TrialResult } from './trial.js';
import { InMemoryStudyStorage, type ConstraintSpec, type ObjectiveSpec, type StudyRecord, type StudyStorage } from './storage.js';

export interface StudyOptions {
  id?: string;
  name: string;
  space: SearchSpace | readonly ParamSpec[];
  objectives: ObjectiveSpec[];
  constraints?: ConstraintSpec[];
  sampler: Sampler;
  storage?: StudyStorage;
  attrs?: Record<string, unknown>;
  /** Timestamps; injectable so tests are deterministic. */
  clock?: () => string;
}

export interface Budget {
  /** Stop when the study holds this many finished trials (resumed ones count). */
  trials?: number;
  /** Stop asking once this much wall time has passed in this call. */
  wallTimeMs?: number;
}

/** What an objective returns: values in objective order, or metrics named like the objectives. */
export type TellInput = Partial<TrialResult> & { metrics?: Record<string, number> };
export type Objective = (config: Config, trial: Trial) => TellInput | Promise<TellInput>;

/**
 * The study controller: ask/tell over a sampler, with a storage checkpoint
 * after every ask and every tell (trial + sampler state in one transaction),
 * so a crashed study resumes with the very same next asks. A config already
 * evaluated is not evaluated again: `ask` returns a trial that is already
 * COMPLETE with the earlier trial's result (`cachedFrom`).
 */
export class Study {
  readonly id: string;
  readonly space: SearchSpace;
  readonly objectives: readonly ObjectiveSpec[];
  readonly constraints: readonly ConstraintSpec[];
  readonly directions: readonly Direction[];
  readonly storage: StudyStorage;
  private readonly live = new Map<number, Trial>();
  private readonly waiting: Trial[] = [];
  /** Stamped on every result that brings none of its own: versions, CPU, and the sampler's seed. */
  private readonly provenance: Record<string, unknown>;
  private readonly records: TrialRecord[] = [];
  private readonly cache = new Map<string, number>();
  private readonly clock: () => string;

  private constructor(
    readonly record: StudyRecord,
    readonly sampler: Sampler,
    storage: StudyStorage,
    clock: () => string,
  ) {
    this.id = record.id;
    this.space = SearchSpace.fromJSON(record.space);
    this.objectives = record.objectives;
    this.constraints = record.constraints;
    this.directions = record.objectives.map((o) => o.direction);
    this.storage = storage;
    this.clock = clock;
    this.provenance = { ...provenance(), samplerSeed: sampler.options.seed ?? null };
  }

  static create(opts: StudyOptions): Study {
    if (!opts.objectives.length) throw new UserInputError('study: at least one objective is needed');
    const space = opts.space instanceof SearchSpace ? opts.space : new SearchSpace(opts.space);
    const clock = opts.clock ?? (() => new Date().toISOString());
    const record: StudyRecord = {
      id: opts.id ?? `${opts.name}-${Date.now().toString(36)}`,
      name: opts.name,
      objectives: opts.objectives,
      constraints: opts.constraints ?? [],
      space: space.toJSON(),
      sampler: { name: opts.sampler.name, options: { ...opts.sampler.options } },
      createdAt: clock(),
      attrs: opts.attrs ?? {},
    };
    const storage = opts.storage ?? new InMemoryStudyStorage();
    storage.createStudy(record);
    storage.saveSamplerState(record.id, opts.sampler.state());
    return new Study(record, opts.sampler, storage, clock);
  }

  /**
   * Reopen a stored study. `sampler` must be built with the same options as
   * the original (see `record.sampler`); its saved state is restored. Trials
   * left RUNNING or WAITING by a crash are marked FAIL ('interrupted').
   */
  static load(storage: StudyStorage, id: string, sampler: Sampler, opts: { clock?: () => string } = {}): Study {
    const record = storage.loadStudy(id);
    if (!record) throw new NotFoundError(`study '${id}' not found`);
    if (record.sampler.name !== sampler.name) throw new UserInputError(`study '${id}' was run with sampler '${record.sampler.name}', not '${sampler.name}'`);
    const study = new Study(record, sampler, storage, opts.clock ?? (() => new Date().toISOString()));
    const state = storage.loadSamplerState(id);
    if (state) sampler.restore(state);
    for (const rec of storage.loadTrials(id)) {
      const trial = new Trial(rec);
      if (trial.state === 'WAITING') {
        study.live.set(trial.number, trial);
        study.waiting.push(trial);
      } else if (!trial.finished) {
        trial.fail('interrupted', study.clock());
        storage.saveTrial(id, trial.record as TrialRecord);
      }
      study.records.push(trial.record as TrialRecord);
      study.remember(trial.record as TrialRecord);
    }
    return study;
  }

  /** Reopen a stored study with the sampler it was created with, rebuilt from the stored name and options. */
  static resume(storage: StudyStorage, id: string, opts: { clock?: () => string } = {}): Study {
    const record = storage.loadStudy(id);
    if (!record) throw new NotFoundError(`study '${id}' not found`);
    const options = record.sampler.options ?? {};
    return Study.load(storage, id, createSampler(record.sampler.name, (options.seed as number | undefined) ?? 0, options), opts);
  }

  /** All trials by number (read-only views). */
  get trials(): readonly TrialRecord[] {
    return this.records;
  }

  trial(number: number): Trial {
    const t = this.live.get(number);
    if (t) return t;
    const rec = this.records[number];
    if (!rec) throw new NotFoundError(`study '${this.id}': no trial ${number}`);
    return new Trial(rec);
  }

  private context(): SamplerContext {
    return { space: this.space, directions: this.directions, trials: this.records, nextNumber: this.records.length };
  }

  private remember(rec: TrialRecord): void {
    if (rec.state === 'COMPLETE' && rec.cachedFrom === undefined && !this.cache.has(rec.configHash)) this.cache.set(rec.configHash, rec.number);
  }

  /** Ask the sampler for a config; returns a RUNNING trial, or a COMPLETE one when the config is cached. */
  ask(): Trial {
    let trial = this.waiting.shift();
    if (trial) {
      trial.start(this.clock());
    } else {
      const config = this.sampler.ask(this.context());
      this.space.validate(config);
      trial = new Trial({ number: this.records.length, state: 'RUNNING', config, configHash: this.space.hash(config), metrics: {}, intermediate: [], promotions: [], startedAt: this.clock(), attrs: {} });
      this.records.push(trial.record as TrialRecord);
    }
    const { number, configHash } = trial.record;
    const cached = this.cache.get(configHash);
    if (cached !== undefined) {
      const src = this.records[cached]!;
      // The earlier result is copied, never re-measured.
      (trial.record as TrialRecord).cachedFrom = cached;
      trial.complete(
        {
          values: src.values!,
          metrics: src.metrics,
          ...(src.constraints ? { constraints: src.constraints } : {}),
          ...(src.artifact !== undefined ? { artifact: src.artifact } : {}),
          ...(src.fidelity !== undefined ? { fidelity: src.fidelity } : {}),
        },
        this.clock(),
      );
      this.finishTrial(trial);
      return trial;
    }
    this.live.set(number, trial);
    this.storage.checkpoint(this.id, trial.record as TrialRecord, this.sampler.state());
    return trial;
  }

  /**
   * Queue a config to be evaluated before the sampler is asked again (e.g. the
   * uncompressed baseline, or a user's known-good config). It waits as a
   * WAITING trial, survives a restart, and the next `ask` hands it out.
   */
  enqueue(config: Config): Trial {
    this.space.validate(config);
    const trial = new Trial({ number: this.records.length, state: 'WAITING', config, configHash: this.space.hash(config), metrics: {}, intermediate: [], promotions: [], startedAt: this.clock(), attrs: {} });
    this.records.push(trial.record as TrialRecord);
    this.live.set(trial.number, trial);
    this.waiting.push(trial);
    this.storage.checkpoint(this.id, trial.record as TrialRecord, this.sampler.state());
    return trial;
  }

  private openTrial(t: Trial | number): Trial {
    const n = typeof t === 'number' ? t : t.number;
    const trial = this.live.get(n);
    if (!trial) {
      const rec = this.records[n];
      if (!rec) throw new NotFoundError(`study '${this.id}': no trial ${n}`);
      throw new UserInputError(`trial ${n} is ${rec.state}; a finished trial never changes`, { code: 'TRIAL_FINISHED' });
    }
    if (trial.state === 'WAITING') throw new UserInputError(`trial ${n} is WAITING; ask for it before telling its result`);
    return trial;
  }

  /** Objective values and constraint violations from what the objective returned. */
  resolve(input: TellInput): TrialResult {
    const metrics = { ...(input.metrics ?? {}) };
    const values = input.values ?? this.objectives.map((o) => {
      const v = metrics[o.name];
      if (typeof v !== 'number') throw new UserInputError(`study '${this.id}': objective '${o.name}' missing from the result`);
      return v;
    });
    if (values.length !== this.objectives.length) throw new UserInputError(`study '${this.id}': expected ${this.objectives.length} objective values, got ${values.length}`);
    this.objectives.forEach((o, i) => (metrics[o.name] ??= values[i]!));
    let constraints = input.constraints;
    if (!constraints && this.constraints.length) {
      constraints = this.constraints.map((c) => {
        const m = metrics[c.metric];
        if (typeof m !== 'number') return Infinity; // unmeasured counts as violated
        return c.op === '<=' ? m - c.bound : c.bound - m;
      });
    }
    return { ...input, values, metrics, ...(constraints ? { constraints } : {}), provenance: input.provenance ?? this.provenance };
  }

  tell(t: Trial | number, input: TellInput): Trial {
    const trial = this.openTrial(t);
    trial.complete(this.resolve(input), this.clock());
    this.finishTrial(trial);
    return trial;
  }

  fail(t: Trial | number, error: string): Trial {
    const trial = this.openTrial(t);
    trial.fail(error, this.clock());
    this.finishTrial(trial);
    return trial;
  }

  prune(t: Trial | number, input?: TellInput): Trial {
    const trial = this.openTrial(t);
    trial.prune(this.clock(), input ? this.resolve(input) : undefined);
    this.finishTrial(trial);
    return trial;
  }

  /** A lower-fidelity result on a running trial (multi-fidelity). */
  report(t: Trial | number, fidelity: number, input: TellInput): IntermediateResult {
    const trial = this.openTrial(t);
    const r = this.resolve(input);
    const result: IntermediateResult = { fidelity, values: r.values, ...(r.constraints ? { constraints: r.constraints } : {}) };
    trial.report(result);
    this.storage.saveTrial(this.id, trial.record as TrialRecord);
    return result;
  }

  promote(t: Trial | number, p: Promotion): void {
    const trial = this.openTrial(t);
    trial.promote(p);
    this.storage.saveTrial(this.id, trial.record as TrialRecord);
  }

  private finishTrial(trial: Trial): void {
    this.live.delete(trial.number);
    const rec = trial.record as TrialRecord;
    this.records[trial.number] = rec;
    this.remember(rec);
    this.sampler.tell(rec, this.context());
    this.storage.checkpoint(this.id, rec, this.sampler.state());
  }

  /** Run the objective until the budget is spent. Objective errors fail the trial and the study goes on. */
  async optimize(objective: Objective, budget: Budget): Promise<void> {
    const start = Date.now();
    const finished = () => this.records.filter((r) => r.state === 'COMPLETE' || r.state === 'PRUNED' || r.state === 'FAIL').length;
    if (budget.trials === undefined && budget.wallTimeMs === undefined) throw new UserInputError('study: a budget needs trials or wallTimeMs');
    while ((budget.trials === undefined || finished() < budget.trials) && (budget.wallTimeMs === undefined || Date.now() - start < budget.wallTimeMs)) {
      const trial = this.ask();
      if (trial.finished) continue;
      let result: TellInput;
      try {
        result = await objective(trial.config, trial);
      } catch (err) {
        this.fail(trial, err instanceof Error ? err.message : String(err));
        continue;
      }
      this.tell(trial, result);
    }
  }

  /** Minimization-form values and violations of the given trials. */
  private pointsOf(recs: readonly TrialRecord[]): { points: number[][]; violations: number[] } {
    return { points: recs.map((r) => toMinimization(r.values!, this.directions)), violations: recs.map((r) => violation(r.constraints)) };
  }

  /** The study's ranking of results (best first): constrained fronts, then crowding distance. */
  rank(results: readonly { values: number[]; constraints?: number[] }[]): number[] {
    return rankOrder(
      results.map((r) => toMinimization(r.values, this.directions)),
      results.map((r) => violation(r.constraints)),
    );
  }

  completed(): TrialRecord[] {
    return this.records.filter((r) => r.state === 'COMPLETE' && r.values && r.cachedFrom === undefined);
  }

  /** The feasible Pareto front of the completed trials (empty if none is feasible). */
  front(): TrialRecord[] {
    const done = this.completed();
    const { points, violations } = this.pointsOf(done);
    const first = nonDominatedSort(points, violations)[0] ?? [];
    return first.filter((i) => !(violations[i]! > 0)).map((i) => done[i]!);
  }

  /** Hypervolume of the feasible front; `ref` in the objectives' own directions (default: from the front). */
  hypervolume(ref?: readonly number[]): number {
    const front = this.front();
    if (!front.length) return 0;
    const { points } = this.pointsOf(front);
    return hypervolume(points, ref ? toMinimization(ref, this.directions) : defaultReferencePoint(points));
  }

  /** The knee of the feasible front. */
  knee(): TrialRecord | undefined {
    const front = this.front();
    if (!front.length) return undefined;
    return front[kneePoint(this.pointsOf(front).points)];
  }
}
