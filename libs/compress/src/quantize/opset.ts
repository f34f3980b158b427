import { allGraphs, int64, onnx } from '@edgefit/onnx';

/**
 * Some forms need a newer default-domain opset than a model has: per-axis
 * Q/DQ needs 13, INT4 weights and int16 activations need 21 (with IR 10).
 * Raising the opset is only safe when no node of the model changed meaning
 * on the way; these are the changes that matter (an attribute that became an
 * input, or a semantic change), by the opset that made them.
 */
const BREAKING: readonly { ops: readonly string[]; attr?: string; since: number }[] = [
  { ops: ['Clip'], attr: 'min', since: 11 },
  { ops: ['Clip'], attr: 'max', since: 11 },
  { ops: ['Pad'], attr: 'pads', since: 11 },
  { ops: ['Squeeze', 'Unsqueeze', 'ReduceSum'], attr: 'axes', since: 13 },
  { ops: ['Split'], attr: 'split', since: 13 },
  {
    ops: ['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'],
    attr: 'axes',
    since: 18,
  },
  { ops: ['GroupNormalization'], since: 21 },
];

/** IR version each opset needs at least. */
function irFor(opset: number): number {
  return opset >= 21 ? 10 : opset >= 19 ? 9 : opset >= 15 ? 8 : opset >= 14 ? 7 : opset >= 12 ? 7 : opset >= 11 ? 6 : 5;
}

export function defaultOpset(model: onnx.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry ? int64(entry.version as number) : 0;
}

/** Why the model cannot move to `target` (undefined when it can, or already is there). */
export function opsetBlocker(model: onnx.IModelProto, target: number): string | undefined {
  const current = defaultOpset(model);
  if (current >= target) return undefined;
  for (const { graph } of allGraphs(model)) {
    for (const node of graph.node ?? []) {
      if (node.domain && node.domain !== 'ai.onnx') continue;
      const change = BREAKING.find((b) => b.ops.includes(node.opType ?? '') && b.since > current && b.since <= target && (!b.attr || node.attribute?.some((a) => a.name === b.attr)));
      if (change) return `node '${node.name || node.output?.[0]}' (${node.opType}) changed in opset ${change.since}; the model is at opset ${current}`;
    }
  }
  return undefined;
}

/** Raise the default opset (and the IR version it needs); the caller checked opsetBlocker. */
export function raiseOpset(model: onnx.IModelProto, target: number): void {
  if (defaultOpset(model) >= target) return;
  model.opsetImport = [...(model.opsetImport ?? []).filter((o) => o.domain && o.domain !== 'ai.onnx'), onnx.OperatorSetIdProto.create({ domain: '', version: target })];
  model.irVersion = Math.max(int64(model.irVersion as number), irFor(target));
}

/** Import the com.microsoft domain (MatMulNBits). */
export function importMicrosoftDomain(model: onnx.IModelProto): void {
  if ((model.opsetImport ?? []).some((o) => o.domain === 'com.microsoft')) return;
  model.opsetImport = [...(model.opsetImport ?? []), onnx.OperatorSetIdProto.create({ domain: 'com.microsoft', version: 1 })];
}
