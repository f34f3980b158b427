import { onnx } from '@edgefit/onnx';

/**
 * A copy of `model` with the given initializers' values replaced, stored the
 * way each initializer stored them before (raw bytes or float_data);
 * everything else is carried over unchanged.
 */
export function writeInitializers(model: onnx.IModelProto, values: ReadonlyMap<string, Float32Array>): onnx.ModelProto {
  const copy = onnx.ModelProto.decode(onnx.ModelProto.encode(model).finish());
  for (const t of copy.graph?.initializer ?? []) {
    const v = values.get(t.name ?? '');
    if (!v) continue;
    if (t.rawData && t.rawData.byteLength > 0) {
      t.rawData = new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    } else {
      t.floatData = Array.from(v);
    }
  }
  return copy;
}
