import { InvalidModelError, LimitExceededError } from '@edgefit/core';
import { DataType, bitsPerElement, dataTypeName, int64, onnx } from './proto.js';
import { tensorByteSize, tensorDims } from './tensor.js';
import type { ModelLimits } from './limits.js';
import { inferShapes } from './shape-inference.js';
import { fmtShape, type InferredDim as Dim } from './shapes/index.js';
import { listWeights, nodeLabel, type GraphVisit } from './walk.js';

/** Rank, per-dim and element-count caps for one tensor, whatever told us its shape. */
export function checkDims(dims: readonly Dim[], what: string, limits: ModelLimits, tooBig = 'declares'): void {
  if (dims.length > limits.maxRank) throw new LimitExceededError(`${what} has rank ${dims.length}, over the limit of ${limits.maxRank} (maxRank)`);
  let n = 1;
  for (const d of dims) {
    if (d === null) continue;
    if (!Number.isSafeInteger(d) || d < 0) throw new InvalidModelError(`${what} has invalid dimension ${d} in shape ${fmtShape(dims)}`);
    if (d > limits.maxDim) throw new LimitExceededError(`${what} has dimension ${d} in shape ${fmtShape(dims)}, over the limit of ${limits.maxDim} (maxDim)`);
    n *= d;
  }
  if (n > limits.maxTensorElements) {
    throw new LimitExceededError(`${what} ${tooBig} ${fmtShape(dims)} = ${n} elements, over the limit of ${limits.maxTensorElements} (maxTensorElements); refusing a model that allocates that much`);
  }
}

/** Inputs, outputs and value_info of every graph. */
export function checkDeclaredTensors(graphs: GraphVisit[], limits: ModelLimits): void {
  for (const { graph, path } of graphs) {
    for (const vi of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
      const dims = vi.type?.tensorType?.shape?.dim ?? [];
      checkDims(dims.map((d) => (d.dimValue === null || d.dimValue === undefined ? null : int64(d.dimValue as number))), `value '${vi.name}' in ${path}`, limits);
    }
  }
}

/** Entries of the typed (non-raw) field a tensor of this type is stored in. */
function typedEntries(t: onnx.ITensorProto): number {
  return Math.max(t.floatData?.length ?? 0, t.int32Data?.length ?? 0, t.int64Data?.length ?? 0, t.doubleData?.length ?? 0, t.uint64Data?.length ?? 0, t.stringData?.length ?? 0);
}

/** A payload that does not match its shape would make a reader over- or under-read. */
function checkPayload(t: onnx.ITensorProto, where: string, n: number): void {
  const dt = t.dataType ?? 0;
  const raw = t.rawData?.byteLength ?? 0;
  if (raw > 0) {
    const need = tensorByteSize(t);
    if (bitsPerElement(dt) > 0 && raw !== need) throw new InvalidModelError(`tensor '${t.name}' ${where} holds ${raw} bytes but its shape [${tensorDims(t)}] of ${dataTypeName(dt)} needs ${need}`);
    return;
  }
  const packed = dt === DataType.INT4 || dt === DataType.UINT4 ? Math.ceil(n / 2) : dt === 14 || dt === 15 ? 2 * n : n; // 14, 15: complex
  const have = typedEntries(t);
  if (have !== packed && dt !== DataType.UNDEFINED) throw new InvalidModelError(`tensor '${t.name}' ${where} holds ${have} values but its shape [${tensorDims(t)}] needs ${packed}`);
}

/** Every weight: caps, payload size; returns total weight bytes (checked against maxWeightBytes). */
export function checkStoredTensors(model: onnx.IModelProto, limits: ModelLimits): number {
  let total = 0;
  for (const w of listWeights(model)) {
    const dims = tensorDims(w.tensor);
    checkDims(dims, `tensor '${w.name}' ${w.where}`, limits, 'stores');
    checkPayload(w.tensor, w.where, dims.reduce((a, b) => a * b, 1));
    total += tensorByteSize(w.tensor);
  }
  if (total > limits.maxWeightBytes) throw new LimitExceededError(`model weights take ${total} bytes, over the limit of ${limits.maxWeightBytes} (maxWeightBytes)`);
  return total;
}

/**
 * Shapes the model would create at run time (lenient inference at the given
 * batch): this is where allocation bombs show (ConstantOfShape, Expand, Tile,
 * Range, Resize with constant arguments).
 */
export function checkInferredTensors(model: onnx.IModelProto, limits: ModelLimits, batch: number): void {
  const shapes = inferShapes(model, { batch, strict: false });
  for (const { node, outputs, graphPath } of shapes.nodes.values()) {
    outputs.forEach((o, i) => {
      if (o.shape) checkDims(o.shape, `${nodeLabel(node)} in ${graphPath}: output '${node.output?.[i]}'`, limits, 'would produce');
    });
  }
}
