import type { ParamSpec } from '../space/params.js';
import type { Direction } from '../pareto/dominance.js';
import type { SamplerState } from '../samplers/sampler.js';
import type { TrialRecord } from './trial.js';

export interface ObjectiveSpec {
  name: string;
  direction: Direction;
}

/** A constraint on a metric, turned into `c ≤ 0` form: `metric ≤ bound` gives c = metric − bound. */
export interface ConstraintSpec {
  metric: string;
  op: '<=' | '>=';
  bound: number;
}

/** Everything needed to rebuild a study (the sampler is rebuilt by the caller from `sampler`). */
export interface StudyRecord {
  id: string;
  name: string;
  objectives: ObjectiveSpec[];
  constraints: ConstraintSpec[];
  space: { params: ParamSpec[] };
  sampler: { name: string; options?: Readonly<Record<string, unknown>> };
  createdAt: string;
  attrs: Record<string, unknown>;
}

/**
 * The storage the study needs, declared here and implemented by
 * @edgefit/store (SQLite) and by `InMemoryStudyStorage` for tests. Synchronous
 * because the SQLite driver is, and so a tell is one atomic step.
 */
export interface StudyStorage {
  createStudy(study: StudyRecord): void;
  loadStudy(id: string): StudyRecord | undefined;
  listStudies(): StudyRecord[];
  /** Insert or replace a trial (by study and number). */
  saveTrial(studyId: string, trial: TrialRecord): void;
  loadTrials(studyId: string): TrialRecord[];
  saveSamplerState(studyId: string, state: SamplerState): void;
  loadSamplerState(studyId: string): SamplerState | undefined;
  /** Save a trial and the sampler state together, atomically (one transaction per ask/tell). */
  checkpoint(studyId: string, trial: TrialRecord, state: SamplerState): void;
}

const clone = <T>(v: T): T => structuredClone(v);

/** Keeps copies (never live references) so tests see exactly what a real store would give back. */
export class InMemoryStudyStorage implements StudyStorage {
  private studies = new Map<string, StudyRecord>();
  private trials = new Map<string, Map<number, TrialRecord>>();
  private states = new Map<string, SamplerState>();

  createStudy(study: StudyRecord): void {
    if (this.studies.has(study.id)) throw new Error(`study '${study.id}' exists`);
    this.studies.set(study.id, clone(study));
    this.trials.set(study.id, new Map());
  }
  loadStudy(id: string): StudyRecord | undefined {
    const s = this.studies.get(id);
    return s && clone(s);
  }
  listStudies(): StudyRecord[] {
    return [...this.studies.values()].map(clone);
  }
  saveTrial(studyId: string, trial: TrialRecord): void {
    this.trials.get(studyId)!.set(trial.number, clone(trial));
  }
  loadTrials(studyId: string): TrialRecord[] {
    return [...(this.trials.get(studyId)?.values() ?? [])].sort((a, b) => a.number - b.number).map(clone);
  }
  saveSamplerState(studyId: string, state: SamplerState): void {
    this.states.set(studyId, clone(state));
  }
  loadSamplerState(studyId: string): SamplerState | undefined {
    const s = this.states.get(studyId);
    return s && clone(s);
  }
  checkpoint(studyId: string, trial: TrialRecord, state: SamplerState): void {
    this.saveTrial(studyId, trial);
    this.saveSamplerState(studyId, state);
  }
}
