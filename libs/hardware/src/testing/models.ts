import { SeededRng } from '@edgefit/core';
import {
  DataType,
  ModelBuilder,
  decodeModel,
  encodeModel,
  floatTensor,
  int8Tensor,
  rawTensor,
  tensorDims,
  tensorToFloat32,
  uint8Tensor,
  type onnx,
} from '@edgefit/onnx';
import { writeLayerBits } from '../layer-annotation.js';

/**
 * Small models for the hardware specs: float conv nets and MLPs, and
 * transformations that turn them into the forms the cost model must tell
 * apart (QDQ int8/int4, bit-width annotations, sparse weights). Test-only.
 */
function uniform(rng: SeededRng, n: number, fanIn: number): Float32Array {
  const bound = Math.sqrt(6 / fanIn);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * bound);
}

/** Gemm layers (transB=1) with ReLU between them: [batch, sizes[0]] → … → [batch, sizes.at(-1)]. */
export function mlp(sizes: readonly number[], opts: { batch?: number; seed?: number; name?: string; constant?: boolean } = {}): onnx.ModelProto {
  const rng = new SeededRng(opts.seed ?? 1);
  const b = new ModelBuilder(opts.name ?? 'mlp');
  let x = b.input('input', [opts.batch ?? 1, sizes[0]!]);
  for (let i = 1; i < sizes.length; i++) {
    const [fin, fout] = [sizes[i - 1]!, sizes[i]!];
    // constant weights build multi-megabyte models fast where values do not matter
    const values = opts.constant ? new Float32Array(fout * fin).fill(0.01) : uniform(rng, fout * fin, fin);
    const w = b.initializer(floatTensor(`fc${i}.weight`, [fout, fin], values));
    const bias = b.initializer(floatTensor(`fc${i}.bias`, [fout], new Float32Array(fout)));
    x = b.node('Gemm', [x, w, bias], [`fc${i}`], { transB: 1 }, `fc${i}`)[0]!;
    if (i < sizes.length - 1) x = b.node('Relu', [x], [`relu${i}`])[0]!;
  }
  b.output(x, [opts.batch ?? 1, sizes[sizes.length - 1]!]);
  return b.build();
}

/** Conv(k×k, pad k/2)+ReLU per entry of `channels`, 2×2 max pooling after each, then a Gemm classifier. */
export function convNet(
  channels: readonly number[],
  opts: { input?: [number, number, number]; kernel?: number; classes?: number; batch?: number; seed?: number; pool?: boolean } = {},
): onnx.ModelProto {
  const rng = new SeededRng(opts.seed ?? 1);
  const [cin0, h0, w0] = opts.input ?? [1, 28, 28];
  const k = opts.kernel ?? 3;
  const pool = opts.pool ?? true;
  const b = new ModelBuilder('convnet');
  const batch = opts.batch ?? 1;
  let x = b.input('input', [batch, cin0, h0, w0]);
  let [c, h, w] = [cin0, h0, w0];
  channels.forEach((cout, i) => {
    const fanIn = c * k * k;
    const wt = b.initializer(floatTensor(`conv${i}.weight`, [cout, c, k, k], uniform(rng, cout * fanIn, fanIn)));
    const bias = b.initializer(floatTensor(`conv${i}.bias`, [cout], new Float32Array(cout)));
    const p = Math.floor(k / 2);
    x = b.node('Conv', [x, wt, bias], [`conv${i}`], { kernel_shape: [k, k], pads: [p, p, p, p], strides: [1, 1] }, `conv${i}`)[0]!;
    x = b.node('Relu', [x], [`relu${i}`])[0]!;
    if (pool) {
      x = b.node('MaxPool', [x], [`pool${i}`], { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    }
    c = cout;
  });
  x = b.node('Flatten', [x], ['flat'], { axis: 1 })[0]!;
  const classes = opts.classes ?? 10;
  const fin = c * h * w;
  const fw = b.initializer(floatTensor('fc.weight', [classes, fin], uniform(rng, classes * fin, fin)));
  const fb = b.initializer(floatTensor('fc.bias', [classes], new Float32Array(classes)));
  b.node('Gemm', [x, fw, fb], ['logits'], { transB: 1 }, 'fc');
  b.output('logits', [batch, classes]);
  return b.build();
}

function clone(model: onnx.ModelProto): onnx.ModelProto {
  return decodeModel(encodeModel(model));
}

const MAC_OPS = new Set(['Conv', 'Gemm', 'MatMul']);

function packInt4(q: Int8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(q.length / 2));
  q.forEach((v, i) => {
    out[i >> 1]! |= (v & 0xf) << ((i & 1) * 4);
  });
  return out;
}

/**
 * QDQ form of every Conv/Gemm: weights stored as symmetric per-tensor integers
 * (INT8, or INT4 with wBits 4) behind a DequantizeLinear; activations
 * quantized to uint8 before and after each layer (Q→DQ pairs), so every
 * group is complete and onnxruntime can fuse it.
 */
export function toQdq(model: onnx.ModelProto, opts: { wBits?: 8 | 4 } = {}): onnx.ModelProto {
  const m = clone(model);
  const g = m.graph!;
  const inits = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t] as const));
  const wBits = opts.wBits ?? 8;
  const qmax = wBits === 8 ? 127 : 7;
  const nodes: onnx.INodeProto[] = [];
  const extra: onnx.ITensorProto[] = [floatTensor('act.scale', [], [0.02]), uint8Tensor('act.zp', [], new Uint8Array([0]))];
  const replaced = new Set<string>();
  const mk = (opType: string, input: string[], output: string[]): onnx.INodeProto => ({ opType, input, output, name: output[0] });
  for (const node of g.node ?? []) {
    if (!MAC_OPS.has(node.opType ?? '') || !inits.has(node.input?.[1] ?? '')) {
      nodes.push(node);
      continue;
    }
    const [x, wName, ...rest] = node.input!;
    const w = inits.get(wName!)!;
    const values = tensorToFloat32(w);
    const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-8) / qmax;
    const q = Int8Array.from(values, (v) => Math.max(-qmax, Math.min(qmax, Math.round(v / scale))));
    const dims = tensorDims(w);
    extra.push(wBits === 8 ? int8Tensor(`${wName}.q`, dims, q) : rawTensor(`${wName}.q`, dims, DataType.INT4, packInt4(q)));
    extra.push(floatTensor(`${wName}.scale`, [], [scale]));
    replaced.add(wName!);
    nodes.push(mk('DequantizeLinear', [`${wName}.q`, `${wName}.scale`], [`${wName}.dq`]));
    nodes.push(mk('QuantizeLinear', [x!, 'act.scale', 'act.zp'], [`${node.name}.xq`]));
    nodes.push(mk('DequantizeLinear', [`${node.name}.xq`, 'act.scale', 'act.zp'], [`${node.name}.xdq`]));
    const out = node.output![0]!;
    nodes.push({ ...node, input: [`${node.name}.xdq`, `${wName}.dq`, ...rest], output: [`${out}.pre`] });
    nodes.push(mk('QuantizeLinear', [`${out}.pre`, 'act.scale', 'act.zp'], [`${out}.yq`]));
    nodes.push(mk('DequantizeLinear', [`${out}.yq`, 'act.scale', 'act.zp'], [out]));
  }
  g.node = nodes;
  g.initializer = [...(g.initializer ?? []).filter((t) => !replaced.has(t.name ?? '')), ...extra];
  return m;
}

/** Mark every Conv/Gemm as a simulated w×a-bit layer (doc_string annotation). */
export function annotateBits(model: onnx.ModelProto, wBits: number, aBits: number): onnx.ModelProto {
  const m = clone(model);
  for (const node of m.graph!.node ?? []) if (MAC_OPS.has(node.opType ?? '')) writeLayerBits(node, { wBits, aBits });
  return m;
}

/**
 * Zero weights of every Conv/Gemm: 'random' zeroes `fraction` of them
 * anywhere; '2:4' keeps the two largest of every four along the reduction axis.
 */
export function sparsify(model: onnx.ModelProto, pattern: 'random' | '2:4', fraction = 0.5, seed = 7): onnx.ModelProto {
  const m = clone(model);
  const rng = new SeededRng(seed);
  const inits = new Map((m.graph!.initializer ?? []).map((t) => [t.name ?? '', t] as const));
  for (const node of m.graph!.node ?? []) {
    if (!MAC_OPS.has(node.opType ?? '')) continue;
    const w = inits.get(node.input?.[1] ?? '');
    if (!w) continue;
    const v = tensorToFloat32(w);
    if (pattern === 'random') {
      for (let i = 0; i < v.length; i++) if (rng.next() < fraction) v[i] = 0;
    } else {
      for (let i = 0; i + 4 <= v.length; i += 4) {
        const idx = [0, 1, 2, 3].sort((a, b) => Math.abs(v[i + b]!) - Math.abs(v[i + a]!));
        v[i + idx[2]!] = 0;
        v[i + idx[3]!] = 0;
      }
    }
    const t = floatTensor(w.name ?? '', tensorDims(w), v);
    w.rawData = t.rawData;
    w.floatData = [];
  }
  return m;
}

/** An MLP already in QDQ int8 form with constant weights: fast to build at many megabytes. */
export function qdqMlp(sizes: readonly number[], opts: { batch?: number } = {}): onnx.ModelProto {
  const batch = opts.batch ?? 1;
  const b = new ModelBuilder('qdq-mlp');
  b.initializer(floatTensor('act.scale', [], [0.02]));
  b.initializer(uint8Tensor('act.zp', [], new Uint8Array([0])));
  let x = b.input('input', [batch, sizes[0]!]);
  for (let i = 1; i < sizes.length; i++) {
    const [fin, fout] = [sizes[i - 1]!, sizes[i]!];
    b.initializer(int8Tensor(`fc${i}.wq`, [fout, fin], new Int8Array(fout * fin).fill(1)));
    b.initializer(floatTensor(`fc${i}.ws`, [], [0.01]));
    b.initializer(floatTensor(`fc${i}.bias`, [fout], new Float32Array(fout)));
    b.node('DequantizeLinear', [`fc${i}.wq`, `fc${i}.ws`], [`fc${i}.w`]);
    b.node('QuantizeLinear', [x, 'act.scale', 'act.zp'], [`fc${i}.xq`]);
    b.node('DequantizeLinear', [`fc${i}.xq`, 'act.scale', 'act.zp'], [`fc${i}.x`]);
    b.node('Gemm', [`fc${i}.x`, `fc${i}.w`, `fc${i}.bias`], [`fc${i}.y`], { transB: 1 }, `fc${i}`);
    b.node('QuantizeLinear', [`fc${i}.y`, 'act.scale', 'act.zp'], [`fc${i}.yq`]);
    x = b.node('DequantizeLinear', [`fc${i}.yq`, 'act.scale', 'act.zp'], [`fc${i}.out`])[0]!;
  }
  b.output(x, [batch, sizes[sizes.length - 1]!]);
  return b.build();
}
