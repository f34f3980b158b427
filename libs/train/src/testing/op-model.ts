import { ModelBuilder, onnx, DataType } from '@edgefit/onnx';

/**
 * A model assembled in a test, with outputs declared without shapes (so
 * onnxruntime checks nothing the test did not mean to state).
 */
export function testModel(build: (b: ModelBuilder) => Array<string | { name: string; elemType: number }>, opset = 17): onnx.ModelProto {
  const b = new ModelBuilder('test', opset);
  const outputs = build(b).map((o) => (typeof o === 'string' ? { name: o, elemType: DataType.FLOAT } : o));
  const model = b.build();
  model.graph!.output = outputs.map(({ name, elemType }) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType } } }));
  if (opset >= 21) model.irVersion = 10;
  return model;
}
