import type { ParamSchema } from '../param-schema.js';

export const PRUNE_METHODS = ['magnitude', 'l1-filter', 'l2-filter', 'bn-scale', 'nm'] as const;
export type PruneMethod = (typeof PRUNE_METHODS)[number];

/** The searchable knobs of the prune pass. */
export const PRUNE_PARAMS: ParamSchema = {
  method: {
    kind: 'categorical',
    default: 'magnitude',
    choices: PRUNE_METHODS,
    description:
      'magnitude: zero the smallest weights (unstructured); l1-filter / l2-filter: remove the output channels of smallest filter norm; bn-scale: remove channels of smallest BatchNorm |γ| (L1 where no BN follows); nm: keep N of every M weights',
  },
  sparsity: {
    kind: 'float',
    default: 0.5,
    min: 0,
    max: 0.99,
    perLayer: true,
    description: 'fraction of weights zeroed (magnitude) or of output channels removed (filter methods); nm ignores it',
  },
  scope: {
    kind: 'categorical',
    default: 'layer',
    choices: ['layer', 'global'],
    description: 'magnitude: each layer to its own sparsity, or one ranking over all layers (layers with a per-layer sparsity keep theirs)',
  },
  channelMultiple: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 64,
    choices: [1, 4, 8, 16],
    description:
      "filter methods: each layer keeps a multiple of this many channels (the nearest to its sparsity, at least one multiple, never more than it had) — onnxruntime's NCHWc convolutions on x86 work in blocks of 8 (AVX2) or 16 (AVX-512) channels, and a width between two multiples costs what the next one up does",
  },
  n: { kind: 'int', default: 2, min: 1, max: 15, description: 'nm: weights kept in each group of m' },
  m: { kind: 'int', default: 4, min: 2, max: 16, choices: [2, 4, 8, 16], description: 'nm: group size along the reduction axis' },
  schedule: {
    kind: 'categorical',
    default: 'oneshot',
    choices: ['oneshot', 'iterative'],
    description: 'oneshot: prune once, then fine-tune; iterative: reach the sparsity in `steps` steps on the cubic AGP schedule (Zhu & Gupta 2017), fine-tuning after each',
  },
  steps: { kind: 'int', default: 4, min: 1, max: 20, description: 'iterative: number of prune + fine-tune steps' },
  fineTuneEpochs: {
    kind: 'int',
    default: 1,
    min: 0,
    max: 50,
    description: 'epochs of fine-tuning after each step (pruned weights held at zero); needs a dataset',
  },
  distill: {
    kind: 'bool',
    default: false,
    fineTuning: true,
    description: 'fine-tune with knowledge distillation from the unpruned model (soft targets at distillTemperature mixed with the labels); classifiers only',
  },
  distillTemperature: { kind: 'float', default: 4, min: 1, max: 20, fineTuning: true, activeWhen: { param: 'distill', equals: true }, description: 'distill: softmax temperature of the soft targets' },
  distillAlpha: { kind: 'float', default: 0.5, min: 0, max: 1, fineTuning: true, activeWhen: { param: 'distill', equals: true }, description: 'distill: weight of the soft-target term (1 − it weighs the labels)' },
  skipLayers: {
    kind: 'string',
    default: '',
    description: "layers left unpruned, separated by '|' (e.g. conv1|logits)",
  },
};
