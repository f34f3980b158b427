import { UserInputError } from '@edgefit/core';
import type { Config } from '../space/params.js';
import type { Trial, TrialRecord } from './trial.js';
import type { Study, TellInput } from './study.js';

/** Evaluate a config at a fidelity (e.g. epochs of fine-tuning, a validation-subset size). */
export type FidelityObjective = (config: Config, fidelity: number, trial: Trial) => TellInput | Promise<TellInput>;

export interface HalvingOptions {
  /** Increasing fidelities; the last is the full evaluation. */
  fidelities: readonly number[];
  /** Keep the top 1/η at each rung. Default 3. */
  eta?: number;
  /** Configs entering the first rung. Default η^(rungs−1). */
  n?: number;
  /** Rung to start at (Hyperband's brackets start higher). Default 0. */
  startRung?: number;
  /** Recorded on promotions. Default 0. */
  bracket?: number;
}

/**
 * Successive halving: evaluate n configs at the lowest fidelity, keep the top
 * ⌈n/η⌉ by the study's ranking (constrained fronts, then crowding), evaluate
 * those at the next fidelity, and so on. Trials stay RUNNING while they
 * climb; each rung's result is stored as an intermediate result and each
 * promotion on the trial. The dropped ones end PRUNED with their last result;
 * the survivors of the last rung end COMPLETE at the full fidelity.
 */
export async function successiveHalving(study: Study, objective: FidelityObjective, opts: HalvingOptions): Promise<TrialRecord[]> {
  const eta = opts.eta ?? 3;
  const R = opts.fidelities.length;
  if (R === 0) throw new UserInputError('successive halving: at least one fidelity is needed');
  if (eta < 2) throw new UserInputError('successive halving: eta must be at least 2');
  const start = opts.startRung ?? 0;
  const n = opts.n ?? Math.pow(eta, R - 1 - start);
  const bracket = opts.bracket ?? 0;
  const done: TrialRecord[] = [];
  let alive: Trial[] = [];
  for (let i = 0; i < n; i++) {
    const t = study.ask();
    if (t.finished) done.push(t.record as TrialRecord); // cached: already evaluated in full
    else alive.push(t);
  }
  for (let rung = start; rung < R && alive.length; rung++) {
    const fidelity = opts.fidelities[rung]!;
    const last = rung === R - 1;
    const results: { trial: Trial; input: TellInput; values: number[]; constraints?: number[] }[] = [];
    for (const trial of alive) {
      let input: TellInput;
      try {
        input = await objective(trial.config, fidelity, trial);
      } catch (err) {
        study.fail(trial, err instanceof Error ? err.message : String(err));
        done.push(trial.record as TrialRecord);
        continue;
      }
      if (last) {
        study.tell(trial, { ...input, fidelity });
        done.push(trial.record as TrialRecord);
      } else {
        const r = study.report(trial, fidelity, input);
        results.push({ trial, input, values: r.values, ...(r.constraints ? { constraints: r.constraints } : {}) });
      }
    }
    if (last) break;
    const keep = Math.max(1, Math.floor(results.length / eta));
    const order = study.rank(results);
    const promoted = new Set(order.slice(0, keep));
    alive = [];
    results.forEach((r, i) => {
      if (promoted.has(i)) {
        study.promote(r.trial, { bracket, fromRung: rung, toRung: rung + 1, fidelity: opts.fidelities[rung + 1]! });
        alive.push(r.trial);
      } else {
        study.prune(r.trial, { ...r.input, fidelity });
        done.push(r.trial.record as TrialRecord);
      }
    });
  }
  return done;
}

export interface HyperbandOptions {
  fidelities: readonly number[];
  eta?: number;
  /** Repeat the full set of brackets this many times. Default 1. */
  rounds?: number;
}

/**
 * Hyperband (Li et al. 2018): successive halving in brackets that trade the
 * number of configs for the starting fidelity — bracket s starts at rung
 * R−1−s with ⌈(s_max+1)/(s+1)·η^s⌉ configs — hedging against cheap
 * fidelities that rank configs badly.
 */
export async function hyperband(study: Study, objective: FidelityObjective, opts: HyperbandOptions): Promise<TrialRecord[]> {
  const eta = opts.eta ?? 3;
  const sMax = opts.fidelities.length - 1;
  const out: TrialRecord[] = [];
  for (let round = 0; round < (opts.rounds ?? 1); round++) {
    for (let s = sMax; s >= 0; s--) {
      const n = Math.ceil(((sMax + 1) / (s + 1)) * Math.pow(eta, s));
      out.push(...(await successiveHalving(study, objective, { fidelities: opts.fidelities, eta, n, startRung: sMax - s, bracket: sMax - s })));
    }
  }
  return out;
}
