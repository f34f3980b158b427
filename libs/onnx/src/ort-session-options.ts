/**
 * The onnxruntime session settings every part of edgefit uses (evaluation,
 * calibration, the in-process latency probe), so what is measured is what
 * runs: the CPU provider, fixed intra-op threads, one inter-op thread,
 * sequential execution, full graph optimization, warnings off.
 */
export function ortSessionOptions(threads = 1) {
  return {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential' as const,
    graphOptimizationLevel: 'all' as const,
    logSeverityLevel: 3 as const,
  };
}
