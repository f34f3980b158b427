import { InvalidModelError } from '@edgefit/core';
import { DataType, MAX_MODEL_BYTES, encodeModel, onnx, tensorDims } from '@edgefit/onnx';
import { ByteReader, ByteWriter } from './byte-io.js';
import { declaredBits } from './declared-bits.js';
import { huffmanSizeOf, readHuffman, writeHuffman } from './huffman.js';
import { decodeTensor, encodeTensor, type TensorPackInfo } from './tensor-codec.js';
import { elementLayout, tensorKeys } from './tensor-keys.js';

/**
 * The packed form of a model: what it costs to store or ship it when
 * sparsity and quantization are exploited (Deep Compression's pipeline
 * without its lossy steps — pruning and quantization are passes; this codec
 * is lossless). Layout:
 *
 *   'EFPK' u8 version
 *   skeleton: the ONNX model with the payloads of coded initializers taken
 *             out (graph, names, attributes, small tensors), Huffman coded
 *   varint count; per coded initializer: varint index, tensor record
 *
 * unpackModel puts every payload back in the same field of the same tensor,
 * so the model re-encodes to the very bytes of the original.
 */

const MAGIC = [0x45, 0x46, 0x50, 0x4b]; // EFPK
const VERSION = 1;

export interface TensorPackReport extends TensorPackInfo {
  name: string;
  dims: number[];
  dataType: number;
  elements: number;
  /** Bits per weight the model declares (quantize pass note, else the data type). */
  declaredBits: number;
  onnxBytes: number;
  packedBytes: number;
}

export interface PackResult {
  bytes: Uint8Array;
  packedBytes: number;
  /** Size of the model's ONNX encoding. */
  onnxBytes: number;
  /** Bytes of the coded skeleton (structure, names, uncoded tensors). */
  skeletonBytes: number;
  perTensor: TensorPackReport[];
}

/** Tensors below this many elements stay in the skeleton (a record header would cost more than it saves). */
const MIN_CODED_ELEMENTS = 16;

export function packModel(model: onnx.IModelProto): PackResult {
  const onnxBytes = encodeModel(model);
  const skeleton = onnx.ModelProto.decode(onnxBytes);
  const bitsOf = declaredBits(skeleton);
  const records: { index: number; bytes: Uint8Array; report: TensorPackReport }[] = [];
  (skeleton.graph?.initializer ?? []).forEach((t, index) => {
    const keys = tensorKeys(t);
    if (!keys || keys.keys.length < MIN_CODED_ELEMENTS) return;
    const dims = tensorDims(t);
    const { bytes, info } = encodeTensor(keys, dims, t.dataType === DataType.FLOAT);
    records.push({
      index,
      bytes,
      report: {
        name: t.name ?? '',
        dims,
        dataType: t.dataType ?? 0,
        elements: keys.keys.length,
        declaredBits: bitsOf.get(t.name ?? '') ?? 0,
        onnxBytes: t.rawData!.byteLength,
        packedBytes: bytes.length,
        ...info,
      },
    });
    // Gone from the skeleton: the field is absent (not empty), as if never set.
    delete (t as { rawData?: Uint8Array }).rawData;
  });
  const skeletonRaw = encodeModel(skeleton);
  const w = new ByteWriter().bytes(Uint8Array.from(MAGIC)).u8(VERSION);
  const start = w.length;
  w.varint(skeletonRaw.length);
  if (huffmanSizeOf(skeletonRaw) < skeletonRaw.length) writeHuffman(w.u8(1), skeletonRaw);
  else w.u8(0).bytes(skeletonRaw);
  const skeletonBytes = w.length - start;
  w.varint(records.length);
  for (const r of records) w.varint(r.index).bytes(r.bytes);
  const bytes = w.finish();
  return { bytes, packedBytes: bytes.length, onnxBytes: onnxBytes.length, skeletonBytes, perTensor: records.map((r) => r.report) };
}

export function unpackModel(bytes: Uint8Array): onnx.ModelProto {
  const r = new ByteReader(bytes);
  if (bytes.length < 5 || MAGIC.some((m, i) => bytes[i] !== m)) throw new InvalidModelError('not a packed edgefit model (bad magic)');
  r.bytes(4);
  const version = r.u8();
  if (version !== VERSION) throw new InvalidModelError(`packed model version ${version} is not supported (expected ${VERSION})`);
  const length = r.varint();
  if (length > MAX_MODEL_BYTES) throw new InvalidModelError(`packed model is corrupt: skeleton of ${length} bytes`);
  const mode = r.u8();
  const skeletonRaw = mode === 1 ? Uint8Array.from(readHuffman(r, length)) : r.bytes(length);
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(skeletonRaw);
  } catch (err) {
    throw new InvalidModelError(`packed model is corrupt: its skeleton is not a readable ONNX model (${(err as Error).message})`, { cause: err });
  }
  const inits = model.graph?.initializer ?? [];
  const count = r.varint();
  for (let i = 0; i < count; i++) {
    const t = inits[r.varint()] ?? (() => { throw new InvalidModelError('packed model is corrupt: a record names no initializer'); })();
    const layout = elementLayout(t.dataType ?? 0);
    if (!layout) throw new InvalidModelError(`packed model is corrupt: tensor '${t.name}' of type ${t.dataType} cannot hold a coded payload`);
    t.rawData = decodeTensor(r, { dims: tensorDims(t), ...layout });
  }
  if (!r.done) throw new InvalidModelError('packed model is corrupt: trailing bytes');
  return model;
}
