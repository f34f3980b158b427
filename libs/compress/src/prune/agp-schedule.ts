/**
 * Automated gradual pruning (Zhu & Gupta 2017): over k steps the sparsity
 * rises as s_t = s_f + (s_i − s_f)(1 − t/k)³ with s_i = 0 — fast at first,
 * while many redundant weights remain, slowly near the end, where every
 * removed weight costs accuracy that fine-tuning between steps must win back.
 *
 * Returns the fraction of the final sparsity reached after step t (1-based).
 */
export function agpFraction(step: number, steps: number): number {
  if (steps <= 1 || step >= steps) return 1;
  return 1 - (1 - step / steps) ** 3;
}

/** The sparsity targets of all steps, e.g. steps=4, final 0.9 → [0.52, 0.79, 0.89, 0.9]. */
export function agpSchedule(finalSparsity: number, steps: number): number[] {
  return Array.from({ length: Math.max(1, steps) }, (_, i) => finalSparsity * agpFraction(i + 1, steps));
}
