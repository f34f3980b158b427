import { InvalidModelError } from '@edgefit/core';
import { DataType, NCHWC_DOMAIN, activationBytes, attrInt, executedGraphShapeRegistry, inferShapes, numel, type onnx, type TensorInfo } from '@edgefit/onnx';
import { FREE_OPS } from './layer-facts.js';

/**
 * The cost plan of the graph onnxruntime really executes on this machine
 * (libs/evaluate `executedGraph`: the session's optimized graph), one entry
 * per kernel. Planning the original graph means guessing onnxruntime's
 * rewrites — NCHWc convolutions whose channels are padded to the block size
 * with reorders only where a chain of them ends, QDQ groups that fuse or do
 * not, NHWC quantized convolutions between Transposes, weight
 * DequantizeLinear nodes that run every inference — and those guesses were
 * the largest errors of the host cost model. Here each kernel is what ran.
 */
export interface ExecutedKernel {
  name: string;
  op: string;
  domain: string;
  /** Calibration key: family and implementation, e.g. 'conv:nchwc', 'matmul:qgemm', 'dequantize:int4'. */
  kind: string;
  /** MACs for multiply-accumulate kernels, else elements processed. */
  work: number;
  /** Every input (weights included) and output byte. */
  bytes: number;
  outputBytes: number;
  /**
   * Short rows the kernel walks one at a time, whatever their length: for a
   * convolution each output pixel's window taps (kh·kw per pixel) — an
   * im2col with one input channel copies 25 one-byte rows per pixel and
   * costs ~1 ns each, 5 GMAC/s where 64 channels run at 90; for a Transpose
   * the output's innermost runs. 0 for other kernels.
   */
  rows: number;
}

/** Work and bytes of one kind summed over a graph, with how many kernels it has. */
export interface ExecutedLoad {
  count: number;
  work: number;
  bytes: number;
  outputBytes: number;
  rows: number;
}

const DTYPE: Readonly<Record<number, string>> = {
  [DataType.FLOAT]: 'fp32', [DataType.FLOAT16]: 'fp16', [DataType.DOUBLE]: 'fp64', [DataType.INT8]: 'int8', [DataType.UINT8]: 'uint8',
  [DataType.INT4]: 'int4', [DataType.UINT4]: 'uint4', [DataType.INT16]: 'int16', [DataType.UINT16]: 'uint16', [DataType.INT32]: 'int32', [DataType.INT64]: 'int64', [DataType.BOOL]: 'bool',
};
const dtype = (info: TensorInfo | undefined) => DTYPE[info?.elemType ?? 0] ?? 'other';

/** How many multiply-accumulates each output of a MAC kernel needs (null: not a MAC kernel). */
function reduction(node: onnx.INodeProto, inputs: (TensorInfo | undefined)[]): number | null {
  const op = node.opType ?? '';
  const prodFrom1 = (i: number) => numel(inputs[i]?.shape?.slice(1)) ?? 0;
  const lastOf = (i: number) => inputs[i]?.shape?.at(-1) ?? 0;
  switch (op) {
    case 'Conv': case 'FusedConv': case 'ConvInteger': return prodFrom1(1);
    case 'QLinearConv': return prodFrom1(3);
    case 'Gemm': case 'FusedGemm': case 'QGemm': {
      const a = inputs[0]?.shape;
      return a ? (a[attrInt(node, 'transA', 0) ? 0 : 1] ?? 0) : 0;
    }
    case 'MatMul': case 'FusedMatMul': case 'MatMulInteger': case 'DynamicQuantizeMatMul': case 'MatMulIntegerToFloat': case 'QLinearMatMul':
      return lastOf(0);
    case 'MatMulNBits': return attrInt(node, 'K', 0);
    default: return null;
  }
}

function family(op: string, depthwise: boolean): string {
  switch (op) {
    case 'Conv': case 'FusedConv': case 'QLinearConv': case 'ConvInteger': return depthwise ? 'dwconv' : 'conv';
    case 'Gemm': case 'FusedGemm': case 'MatMul': case 'FusedMatMul': case 'QGemm': case 'QLinearMatMul': case 'MatMulInteger':
    case 'MatMulIntegerToFloat': case 'DynamicQuantizeMatMul': case 'MatMulNBits':
      return 'matmul';
    case 'MaxPool': case 'AveragePool': case 'NhwcMaxPool': case 'QLinearAveragePool': return 'pool';
    case 'GlobalAveragePool': case 'GlobalMaxPool': case 'QLinearGlobalAveragePool': return 'gpool';
    case 'QuantizeLinear': return 'quantize';
    case 'DequantizeLinear': return 'dequantize';
    case 'ReorderInput': return 'reorder-input';
    case 'ReorderOutput': return 'reorder-output';
    default: return op.toLowerCase();
  }
}

/** The implementation half of a kind: what distinguishes kernels of one family that cost differently. */
/** An NHWC kernel: onnxruntime's com.microsoft QLinearConv is NHWC, other kernels say so with channels_last. */
function channelsLast(node: onnx.INodeProto): boolean {
  return attrInt(node, 'channels_last', 0) === 1 || (node.opType === 'QLinearConv' && node.domain === 'com.microsoft');
}

function implementation(node: onnx.INodeProto, inputs: (TensorInfo | undefined)[], outputs: TensorInfo[], fromNchwc: boolean): string {
  const op = node.opType ?? '';
  if (node.domain === NCHWC_DOMAIN && !op.startsWith('Reorder')) {
    // a first convolution reads the NCHW tensor directly (few input channels); the others read NCHWc
    return op === 'Conv' && !fromNchwc ? 'nchwc-direct' : 'nchwc';
  }
  switch (op) {
    case 'QGemm': return 'qgemm';
    case 'QLinearMatMul': return 'qlinear';
    case 'QLinearConv': return channelsLast(node) ? 'qlinear-nhwc' : 'qlinear';
    case 'MatMulInteger': case 'ConvInteger': return 'integer';
    case 'DynamicQuantizeMatMul': return 'dynamic';
    case 'MatMulIntegerToFloat': return 'integer-float';
    case 'MatMulNBits': return `nbits${attrInt(node, 'bits', 4)}`;
    case 'NhwcMaxPool': return `nhwc-${dtype(inputs[0])}`;
    case 'QuantizeLinear': return dtype(outputs[0]);
    default: return dtype(inputs[0]);
  }
}

/**
 * Plan of an executed graph at a batch size: one kernel per node that does
 * work (Reshape, Flatten and the like alias their input and cost nothing).
 */
export function planExecutedGraph(model: onnx.IModelProto, batch: number): ExecutedKernel[] {
  if (!model.graph) throw new InvalidModelError('executed graph has no graph');
  const shapes = inferShapes(model, { batch, registry: executedGraphShapeRegistry });
  const nchwcValues = new Set<string>();
  const kernels: ExecutedKernel[] = [];
  for (const node of model.graph.node ?? []) {
    const ns = shapes.nodes.get(node)!;
    const op = node.opType ?? '';
    if (node.domain === NCHWC_DOMAIN && op !== 'ReorderOutput') for (const o of node.output ?? []) nchwcValues.add(o);
    if (FREE_OPS.has(op) && !node.domain) continue;
    const fromNchwc = nchwcValues.has(node.input?.[0] ?? '');
    const group = attrInt(node, 'group', 1);
    const inputs = ns.inputs;
    const outputs = ns.outputs;
    const k = reduction(node, inputs);
    const outElements = numel(outputs[0]?.shape) ?? 0;
    const work = k !== null ? outElements * k : Math.max(outElements, numel(inputs[0]?.shape) ?? 0);
    const inputBytes = inputs.reduce((s, info) => s + activationBytes(info), 0);
    const outputBytes = outputs.reduce((s, info) => s + activationBytes(info), 0);
    kernels.push({
      rows: rowsOf(node, inputs, outputs),
      name: node.name || `${op}_${kernels.length}`,
      op,
      domain: node.domain ?? '',
      kind: `${family(op, group > 1)}:${implementation(node, inputs, outputs, fromNchwc)}`,
      work,
      bytes: inputBytes + outputBytes,
      outputBytes,
    });
  }
  // the tensors handed between JavaScript and onnxruntime: the output copied back grows the run with its bytes
  const io = (values: readonly onnx.IValueInfoProto[], op: 'GraphInput' | 'GraphOutput') => {
    for (const v of values) {
      const info = shapes.main.get(v.name ?? '');
      const bytes = activationBytes(info);
      kernels.push({ name: v.name ?? op, op, domain: '', kind: `${op === 'GraphInput' ? 'input' : 'output'}:${dtype(info)}`, work: numel(info?.shape) ?? 0, bytes, outputBytes: op === 'GraphOutput' ? bytes : 0, rows: 0 });
    }
  };
  const initializers = new Set((model.graph.initializer ?? []).map((t) => t.name ?? ''));
  io((model.graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')), 'GraphInput');
  io(model.graph.output ?? [], 'GraphOutput');
  return kernels;
}

function rowsOf(node: onnx.INodeProto, inputs: (TensorInfo | undefined)[], outputs: TensorInfo[]): number {
  const op = node.opType ?? '';
  const out = outputs[0]?.shape;
  if (!out || out.some((d) => d === null)) return 0;
  const dims = out as number[];
  if (op === 'Transpose') return dims.length > 0 ? dims.slice(0, -1).reduce((a, b) => a * b, 1) : 0;
  if (family(op, false) !== 'conv' || dims.length !== 4) return 0;
  const w = inputs[op === 'QLinearConv' ? 3 : 1]?.shape;
  const taps = w && w.length === 4 ? (w[2] ?? 1) * (w[3] ?? 1) : 1;
  const pixels = channelsLast(node) ? dims[0]! * dims[1]! * dims[2]! : dims[0]! * dims[2]! * dims[3]!;
  return pixels * taps;
}

/** Per-kind totals of a plan. */
export function executedLoads(kernels: readonly ExecutedKernel[]): Map<string, ExecutedLoad> {
  const loads = new Map<string, ExecutedLoad>();
  for (const k of kernels) {
    const t = loads.get(k.kind) ?? { count: 0, work: 0, bytes: 0, outputBytes: 0, rows: 0 };
    loads.set(k.kind, { count: t.count + 1, work: t.work + k.work, bytes: t.bytes + k.bytes, outputBytes: t.outputBytes + k.outputBytes, rows: t.rows + k.rows });
  }
  return loads;
}
