import { DataType, GraphView, attrInt, tensorDims, type ShapeResult, type onnx } from '@edgefit/onnx';
import { layerName } from './prunable-layers.js';
import { canSlice } from './tensor-edit.js';

/**
 * Where the output channels of one layer go, and what must change when some
 * of them are removed. Starting at the producer's output, channels are
 * followed through ops that keep them apart (activations, pooling, BN,
 * depthwise convs, Flatten, Concat, per-channel constants) until ops that
 * reduce over them (the next Conv, Gemm or MatMul). Each tensor on the way
 * records which of its axis-1 positions each producer channel owns: the
 * identity at first, blocks of H·W rows after Flatten, an offset after Concat.
 *
 * Anything else (a join with another branch through Add, a graph output, an
 * op not listed) blocks the plan, and the layer is skipped with that reason:
 * a wrong rewiring would give a model that runs but computes something else.
 */

/** Positions along axis 1 of a tensor owned by each producer channel. */
type Owned = number[][];

/** One edit: drop the positions owned by removed channels along `axis` of an initializer. */
export interface SliceEdit {
  init: string;
  axis: number;
  owned: Owned;
  /** The size that axis must have (checked before any edit). */
  width: number;
}

export interface ChannelPlan {
  producer: onnx.INodeProto;
  channels: number;
  slices: SliceEdit[];
  /** Depthwise convs whose `group` follows the channel count. */
  groups: { node: onnx.INodeProto; owned: Owned; width: number }[];
  /** Every value whose shape changes (stale value_info entries are dropped). */
  touched: string[];
  /** Scale (γ) initializer of the first BN right after the producer, for bn-scale ranking. */
  bnScale?: string;
}

export type PlanResult = { ok: true; plan: ChannelPlan } | { ok: false; reason: string };

/** Ops that act on each channel alone: the channel map passes through unchanged. */
const PER_CHANNEL = new Set([
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Clip', 'Elu', 'Selu', 'Softplus', 'Softsign', 'Abs', 'Neg',
  'Identity', 'Dropout', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool',
]);
/** Elementwise binary ops: allowed when the other operand is a constant (sliced if it varies per channel). */
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div']);

const identity = (n: number): Owned => Array.from({ length: n }, (_, c) => [c]);

/** Weight layout of a prunable producer: which axis of which initializer holds its output channels. */
export function producerChannels(view: GraphView, node: onnx.INodeProto): { weight: onnx.ITensorProto; axis: number; channels: number } | undefined {
  const weight = view.initializer(node.input?.[1] ?? '');
  if (!weight || weight.dataType !== DataType.FLOAT || view.consumers(weight.name ?? '').length !== 1) return undefined;
  const dims = tensorDims(weight);
  switch (node.opType) {
    case 'Conv':
      // Grouped and depthwise convs follow their input's channels; only dense convs choose their own.
      if (attrInt(node, 'group', 1) !== 1 || dims.length < 3) return undefined;
      return { weight, axis: 0, channels: dims[0]! };
    case 'Gemm': {
      if (attrInt(node, 'transA', 0) !== 0 || dims.length !== 2) return undefined;
      const axis = attrInt(node, 'transB', 0) ? 0 : 1;
      return { weight, axis, channels: dims[axis]! };
    }
    case 'MatMul':
      return dims.length === 2 ? { weight, axis: 1, channels: dims[1]! } : undefined;
    default:
      return undefined;
  }
}

/** Static dims of a value (undefined if any is unknown). */
function shapeOf(shapes: ShapeResult, value: string): number[] | undefined {
  const s = shapes.main.get(value)?.shape;
  if (!s || s.some((d) => d === null)) return undefined;
  return s as number[];
}

export function planChannels(view: GraphView, shapes: ShapeResult, producer: onnx.INodeProto): PlanResult {
  const fail = (reason: string): PlanResult => ({ ok: false, reason });
  const info = producerChannels(view, producer);
  if (!info) return fail('not a dense Conv, Gemm or MatMul with its own float weight');
  const { weight, axis, channels } = info;
  const plan: ChannelPlan = { producer, channels, slices: [], groups: [], touched: [] };
  const self = identity(channels);
  plan.slices.push({ init: weight.name ?? '', axis, owned: self, width: channels });

  // The producer's bias: Conv B [C]; Gemm C [N] or [M, N] (a [1] or scalar C is shared by all channels).
  const bias = view.initializer(producer.input?.[2] ?? '');
  if (producer.input?.[2]) {
    if (!bias || view.consumers(bias.name ?? '').length !== 1) return fail('its bias is not an initializer of its own');
    const bd = tensorDims(bias);
    if (producer.opType === 'Conv' && bd[0] === channels) plan.slices.push({ init: bias.name ?? '', axis: 0, owned: self, width: channels });
    else if (producer.opType === 'Gemm' && bd.length > 0 && bd[bd.length - 1] === channels) {
      plan.slices.push({ init: bias.name ?? '', axis: bd.length - 1, owned: self, width: channels });
    } else if (!(producer.opType === 'Gemm' && bd.reduce((a, b) => a * b, 1) === 1)) return fail(`its bias has shape [${bd}]`);
  }

  const queue: { value: string; owned: Owned; width: number; direct: boolean }[] = [
    { value: producer.output?.[0] ?? '', owned: self, width: channels, direct: true },
  ];
  const visited = new Set<string>();
  const ownInit = (name: string | null | undefined) => {
    const t = name ? view.initializer(name) : undefined;
    return t && view.consumers(name!).length === 1 && canSlice(t) ? t : undefined;
  };
  const sliceIfSized = (name: string, ax: number, owned: Owned, width: number, what: string): string | undefined => {
    const t = ownInit(name);
    if (!t) return `${what} '${name}' is not an initializer of its own`;
    if (tensorDims(t)[ax] !== width) return `${what} '${name}' has shape [${tensorDims(t)}], expected ${width} along axis ${ax}`;
    plan.slices.push({ init: name, axis: ax, owned, width });
    return undefined;
  };

  while (queue.length > 0) {
    const { value, owned, width, direct } = queue.shift()!;
    if (visited.has(value)) return fail(`its channels reach '${value}' along two paths`);
    visited.add(value);
    plan.touched.push(value);
    if (view.isGraphOutput(value)) return fail(`'${value}' is a graph output, whose shape must not change`);
    const rank = shapes.main.get(value)?.shape?.length;
    for (const node of view.consumers(value)) {
      const op = node.opType ?? '';
      const where = `${op} '${layerName(node)}'`;
      const slots = (node.input ?? []).flatMap((name, i) => (name === value ? [i] : []));
      const next = (owned2: Owned, width2: number, direct2 = direct) => {
        // Only output 0 carries the channels; another used output (Dropout's mask…) blocks.
        for (const o of (node.output ?? []).slice(1)) if (o && (view.consumers(o).length > 0 || view.isGraphOutput(o))) return `${where} has a second output in use`;
        queue.push({ value: node.output?.[0] ?? '', owned: owned2, width: width2, direct: direct2 });
        return undefined;
      };
      let problem: string | undefined;
      if (op === 'Concat') {
        const inputs = node.input ?? [];
        const widths = inputs.map((n) => shapeOf(shapes, n)?.[1]);
        const r = shapes.main.get(inputs[0] ?? '')?.shape?.length ?? 0;
        const cat = attrInt(node, 'axis', 0);
        if ((cat < 0 ? cat + r : cat) !== 1) problem = `${where} joins along axis ${cat}, not channels`;
        else if (widths.some((w) => w === undefined)) problem = `${where}: channel counts of its inputs are unknown`;
        else {
          const offsets = widths.map((_, i) => widths.slice(0, i).reduce((a: number, b) => a + b!, 0));
          const mapped = owned.map((ps) => slots.flatMap((i) => ps.map((p) => p + offsets[i]!)));
          problem = next(mapped, widths.reduce((a: number, b) => a + b!, 0), false);
        }
      } else if (slots.length !== 1 || slots[0] !== 0) {
        problem = `it feeds ${where} other than as its data input`;
      } else if (PER_CHANNEL.has(op)) {
        const others = (node.input ?? []).slice(1).filter(Boolean);
        problem = others.every((n) => view.isConstant(n)) ? next(owned, width) : `${where} reads a non-constant second input`;
      } else if (op === 'BatchNormalization') {
        for (let i = 1; i <= 4 && !problem; i++) problem = sliceIfSized(node.input?.[i] ?? '', 0, owned, width, `BatchNormalization input`);
        if (!problem && direct && !plan.bnScale) plan.bnScale = node.input?.[1] ?? undefined;
        problem ??= next(owned, width);
      } else if (op === 'Conv') {
        const w = ownInit(node.input?.[1]);
        const group = attrInt(node, 'group', 1);
        const wd = w ? tensorDims(w) : [];
        if (!w) problem = `the weight of ${where} is not an initializer of its own`;
        else if (group === 1) problem = sliceIfSized(w.name ?? '', 1, owned, width, 'Conv weight');
        else if (group === width && wd[0] === width && wd[1] === 1) {
          // Depthwise: each channel has its own filter and output; they go with it.
          problem = sliceIfSized(w.name ?? '', 0, owned, width, 'depthwise weight');
          if (!problem && node.input?.[2]) problem = sliceIfSized(node.input[2], 0, owned, width, 'depthwise bias');
          if (!problem) {
            plan.groups.push({ node, owned, width });
            problem = next(owned, width);
          }
        } else problem = `${where} is a grouped convolution (group ${group})`;
      } else if (op === 'Gemm' || op === 'MatMul') {
        const b = ownInit(node.input?.[1]);
        const transB = op === 'Gemm' ? attrInt(node, 'transB', 0) : 0;
        if (!b || tensorDims(b).length !== 2) problem = `the weight of ${where} is not a 2-D initializer of its own`;
        else if (rank !== 2) problem = `${where} reads a tensor of rank ${rank ?? '?'}`;
        else if (op === 'Gemm' && attrInt(node, 'transA', 0) !== 0) problem = `${where} has transA`;
        else problem = sliceIfSized(b.name ?? '', transB ? 1 : 0, owned, width, `${op} weight`);
      } else if (op === 'Flatten') {
        const s = shapeOf(shapes, value);
        const ax = attrInt(node, 'axis', 1);
        if (!s || (ax < 0 ? ax + s.length : ax) !== 1) problem = `${where} does not flatten from axis 1 of a known shape`;
        else {
          // Channel c of a [C, H, W] map owns rows c·H·W … (c+1)·H·W − 1 of the flattened features.
          const hw = s.slice(2).reduce((a, b) => a * b, 1);
          problem = next(owned.map((ps) => ps.flatMap((p) => Array.from({ length: hw }, (_, j) => p * hw + j))), width * hw, false);
        }
      } else if (BINARY.has(op)) {
        const other = node.input?.[1] ?? '';
        if (!view.isConstant(other)) problem = `it joins another branch at ${where}`;
        else {
          const t = view.initializer(other);
          const od = t ? tensorDims(t) : undefined;
          // Broadcasting aligns the constant's dims right: which of them meets the channel axis?
          const cAxis = od && rank !== undefined ? 1 - (rank - od.length) : -1;
          if (od && (cAxis < 0 || od[cAxis] === 1)) problem = next(owned, width);
          else if (od) problem = sliceIfSized(other, cAxis, owned, width, `${op} constant`) ?? next(owned, width);
          else problem = `${where} reads a Constant node whose broadcast is unknown`;
        }
      } else {
        problem = `it feeds ${where}, which structured pruning cannot rewire`;
      }
      if (problem) return fail(problem);
    }
  }
  return { ok: true, plan };
}

/** Positions of a tensor's axis that survive when `removed` channels go. */
export function keptPositions(owned: Owned, width: number, removed: ReadonlySet<number>): number[] {
  const gone = new Set<number>();
  for (const c of removed) for (const p of owned[c] ?? []) gone.add(p);
  return Array.from({ length: width }, (_, p) => p).filter((p) => !gone.has(p));
}
