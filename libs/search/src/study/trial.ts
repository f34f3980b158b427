import { UserInputError } from '@edgefit/core';
import type { Config } from '../space/params.js';

export type TrialState = 'WAITING' | 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL';
export const FINISHED_STATES: readonly TrialState[] = ['COMPLETE', 'PRUNED', 'FAIL'];

/** A move to a higher fidelity in successive halving / Hyperband. */
export interface Promotion {
  bracket: number;
  fromRung: number;
  toRung: number;
  fidelity: number;
}

/** One evaluation at a lower fidelity, kept on the trial. */
export interface IntermediateResult {
  fidelity: number;
  values: number[];
  constraints?: number[];
}

/** What is stored about a trial: plain JSON. */
export interface TrialRecord {
  number: number;
  state: TrialState;
  config: Config;
  configHash: string;
  /** Objective values in the study's objective order (their own directions, not flipped). */
  values?: number[];
  metrics: Record<string, number>;
  /** `c ≤ 0` is satisfied; violation is the positive part. */
  constraints?: number[];
  artifact?: string;
  provenance?: Record<string, unknown>;
  /** The fidelity the final values were measured at (multi-fidelity), if any. */
  fidelity?: number;
  intermediate: IntermediateResult[];
  promotions: Promotion[];
  /** The config was already evaluated by this trial; its result was reused. */
  cachedFrom?: number;
  error?: string;
  startedAt: string;
  finishedAt?: string;
  attrs: Record<string, unknown>;
}

export interface TrialResult {
  values: number[];
  metrics?: Record<string, number>;
  constraints?: number[];
  artifact?: string;
  provenance?: Record<string, unknown>;
  fidelity?: number;
}

export const isFinished = (t: TrialRecord): boolean => FINISHED_STATES.includes(t.state);

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * A trial and its legal moves: WAITING → RUNNING → COMPLETE | PRUNED | FAIL.
 * Once finished the record is deep-frozen and every further change throws,
 * so a result that was told (and stored) can never drift.
 */
export class Trial {
  private rec: TrialRecord;

  constructor(record: TrialRecord) {
    this.rec = record;
    if (isFinished(record)) deepFreeze(this.rec);
  }

  get record(): Readonly<TrialRecord> {
    return this.rec;
  }
  get number(): number {
    return this.rec.number;
  }
  get state(): TrialState {
    return this.rec.state;
  }
  get config(): Config {
    return this.rec.config;
  }
  get finished(): boolean {
    return isFinished(this.rec);
  }

  private assertOpen(what: string): void {
    if (this.finished) throw new UserInputError(`trial ${this.rec.number} is ${this.rec.state}; cannot ${what} a finished trial`, { code: 'TRIAL_FINISHED' });
  }

  /** WAITING → RUNNING. */
  start(now: string): void {
    if (this.rec.state !== 'WAITING') throw new UserInputError(`trial ${this.rec.number} is ${this.rec.state}; only a WAITING trial can start`);
    this.rec.state = 'RUNNING';
    this.rec.startedAt = now;
  }

  report(result: IntermediateResult): void {
    this.assertOpen('report on');
    this.rec.intermediate.push(result);
  }

  promote(p: Promotion): void {
    this.assertOpen('promote');
    this.rec.promotions.push(p);
  }

  setAttr(key: string, value: unknown): void {
    this.assertOpen('change');
    this.rec.attrs[key] = value;
  }

  complete(result: TrialResult, now: string): void {
    this.assertOpen('complete');
    this.finish('COMPLETE', now, result);
  }

  prune(now: string, result?: TrialResult): void {
    this.assertOpen('prune');
    this.finish('PRUNED', now, result);
  }

  fail(error: string, now: string): void {
    this.assertOpen('fail');
    this.rec.error = error;
    this.finish('FAIL', now);
  }

  private finish(state: TrialState, now: string, result?: TrialResult): void {
    if (result) {
      if (!result.values.every((v) => Number.isFinite(v))) throw new UserInputError(`trial ${this.rec.number}: objective values must be finite numbers, got [${result.values.join(', ')}]`);
      this.rec.values = [...result.values];
      if (result.metrics) this.rec.metrics = { ...this.rec.metrics, ...result.metrics };
      if (result.constraints) this.rec.constraints = [...result.constraints];
      if (result.artifact !== undefined) this.rec.artifact = result.artifact;
      if (result.provenance) this.rec.provenance = result.provenance;
      if (result.fidelity !== undefined) this.rec.fidelity = result.fidelity;
    }
    this.rec.state = state;
    this.rec.finishedAt = now;
    deepFreeze(this.rec);
  }
}
