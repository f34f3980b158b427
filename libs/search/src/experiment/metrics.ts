import type { Direction } from '../pareto/dominance.js';

/**
 * The metrics a trial reports, by name. Metrics of one target device carry
 * its name after an `@`: `latencyMs@raspberry-pi-4`. `accuracy` is always
 * the validation score (accuracy for a classifier, AUROC for an
 * autoencoder); the test split is only used on the final front
 * (`testAccuracy`).
 */
export interface MetricInfo {
  /** Canonical name (without the target). */
  name: string;
  direction: Direction;
  /** Whether the metric belongs to one target device. */
  perTarget: boolean;
  /** Only for template (co-design) targets. */
  templateOnly?: boolean;
  description: string;
}

export const METRICS: readonly MetricInfo[] = [
  { name: 'accuracy', direction: 'maximize', perTarget: false, description: 'validation accuracy (AUROC for an autoencoder), 0–1' },
  { name: 'onnxBytes', direction: 'minimize', perTarget: false, description: 'size of the ONNX file' },
  { name: 'packedBytes', direction: 'minimize', perTarget: false, description: 'size of the packed (entropy-coded) model' },
  { name: 'params', direction: 'minimize', perTarget: false, description: 'parameters of the compressed graph' },
  { name: 'hostLatencyMs', direction: 'minimize', perTarget: false, description: 'median latency measured with onnxruntime on this host (batch 1)' },
  { name: 'latencyMs', direction: 'minimize', perTarget: true, description: 'predicted latency on the target' },
  { name: 'energyMj', direction: 'minimize', perTarget: true, description: 'predicted energy per inference on the target' },
  { name: 'peakMemoryBytes', direction: 'minimize', perTarget: true, description: 'predicted peak RAM on the target' },
  { name: 'flashBytes', direction: 'minimize', perTarget: true, description: 'predicted weight storage on the target' },
  { name: 'fits', direction: 'maximize', perTarget: true, description: '1 when the model fits the target’s memory, else 0' },
  { name: 'areaMm2', direction: 'minimize', perTarget: true, templateOnly: true, description: 'silicon area of the template point' },
  { name: 'powerW', direction: 'minimize', perTarget: true, templateOnly: true, description: 'power of the template point' },
];

const ALIASES: Record<string, string> = {
  accuracy: 'accuracy',
  'validation-accuracy': 'accuracy',
  validationAccuracy: 'accuracy',
  auroc: 'accuracy',
  latency: 'latencyMs',
  latencyMs: 'latencyMs',
  energy: 'energyMj',
  energyMj: 'energyMj',
  memory: 'peakMemoryBytes',
  peakMemory: 'peakMemoryBytes',
  peakMemoryBytes: 'peakMemoryBytes',
  flash: 'flashBytes',
  flashBytes: 'flashBytes',
  fits: 'fits',
  size: 'packedBytes',
  packedSize: 'packedBytes',
  packedBytes: 'packedBytes',
  onnxSize: 'onnxBytes',
  onnxBytes: 'onnxBytes',
  params: 'params',
  hostLatency: 'hostLatencyMs',
  hostLatencyMs: 'hostLatencyMs',
  measuredLatency: 'hostLatencyMs',
  area: 'areaMm2',
  areaMm2: 'areaMm2',
  power: 'powerW',
  powerW: 'powerW',
};

export const metricInfo = (name: string): MetricInfo | undefined => {
  const canonical = ALIASES[name];
  return canonical === undefined ? undefined : METRICS.find((m) => m.name === canonical);
};

export const metricNames = (): string[] => Object.keys(ALIASES);

/** `latencyMs` + `stm32h743` → `latencyMs@stm32h743`. */
export const metricKey = (name: string, target?: string): string => (target ? `${name}@${target}` : name);

/** Inverse of metricKey. */
export function splitMetricKey(key: string): { name: string; target?: string } {
  const at = key.indexOf('@');
  return at < 0 ? { name: key } : { name: key.slice(0, at), target: key.slice(at + 1) };
}
