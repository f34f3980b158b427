import type { LrSchedule } from './fit-types.js';

export interface ScheduleSpec {
  kind: LrSchedule;
  peak: number;
  totalSteps: number;
  warmupSteps: number;
  /** The rate the cosine decays to, as a fraction of the peak. */
  finalFraction: number;
}

/**
 * Learning rate at optimizer step `step` (0-based): linear warm-up from
 * peak/warmupSteps to the peak, then half a cosine down to
 * finalFraction·peak at the last step.
 */
export function learningRateAt(step: number, s: ScheduleSpec): number {
  if (s.kind === 'constant') return s.peak;
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps - 1);
  const t = Math.min(1, (step - s.warmupSteps) / span);
  return s.peak * (s.finalFraction + (1 - s.finalFraction) * 0.5 * (1 + Math.cos(Math.PI * t)));
}
