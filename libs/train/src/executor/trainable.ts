import { DataType, type onnx } from '@edgefit/onnx';

/** Inputs of each op that hold learnable parameters. */
const PARAMETER_SLOTS: Record<string, readonly number[]> = {
  Conv: [1, 2],
  Gemm: [0, 1, 2],
  MatMul: [0, 1],
  BatchNormalization: [1, 2],
};
/** BatchNormalization's running mean and variance: state, updated in training, never by gradients. */
const STATE_SLOTS = [3, 4];
/** Ops a weight may pass through on its way to a layer (QAT: W → Q → DQ → Conv). */
const PASS_THROUGH = new Set(['QuantizeLinear', 'DequantizeLinear', 'Identity']);
/** Producers whose output an Add may carry a bias for (MatMul + Add as exporters write Linear). */
const BIASED = new Set(['MatMul', 'Gemm', 'Conv']);

export interface InitializerRoles {
  /** Float initializers trained by gradient descent. */
  trainable: Set<string>;
  /** Float initializers updated by the forward pass in training mode (BN running statistics). */
  state: Set<string>;
}

/**
 * Which float initializers are weights (trainable), which are BN running
 * statistics (state), and — by omission — which are constants (Dropout
 * ratios, Clip bounds, quantization scales, shapes …).
 */
export function classifyInitializers(graph: onnx.IGraphProto, freeze: ReadonlySet<string> = new Set()): InitializerRoles {
  const consumers = new Map<string, { node: onnx.INodeProto; index: number }[]>();
  const producer = new Map<string, onnx.INodeProto>();
  for (const node of graph.node ?? []) {
    (node.input ?? []).forEach((name, index) => {
      if (name) consumers.set(name, [...(consumers.get(name) ?? []), { node, index }]);
    });
    for (const o of node.output ?? []) if (o) producer.set(o, node);
  }
  const isParameter = (name: string, depth = 0): boolean =>
    depth < 8 &&
    (consumers.get(name) ?? []).some(({ node, index }) => {
      const op = node.opType ?? '';
      if (PARAMETER_SLOTS[op]?.includes(index)) return true;
      if (PASS_THROUGH.has(op) && index === 0) return isParameter(node.output?.[0] ?? '', depth + 1);
      if (op === 'Add') {
        const other = node.input?.[1 - index];
        return other !== undefined && BIASED.has(producer.get(other)?.opType ?? '');
      }
      return false;
    });
  const roles: InitializerRoles = { trainable: new Set(), state: new Set() };
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    if (t.dataType !== DataType.FLOAT || freeze.has(name)) continue;
    const uses = consumers.get(name) ?? [];
    if (uses.some(({ node, index }) => node.opType === 'BatchNormalization' && STATE_SLOTS.includes(index))) roles.state.add(name);
    else if (isParameter(name)) roles.trainable.add(name);
  }
  return roles;
}
