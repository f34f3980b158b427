import { onnx, DataType } from './proto.js';
import { makeAttr } from './attributes.js';

type Attrs = Record<string, Parameters<typeof makeAttr>[1]>;
export type Dim = number | string;

/** A ValueInfo of a tensor with element type and shape (string dims are symbolic). */
export function valueInfo(name: string, shape: readonly Dim[], elemType: number = DataType.FLOAT): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

export const DEFAULT_OPSET = 17;
export const DEFAULT_IR_VERSION = 8;

/**
 * Assembles an ONNX model node by node. Names are made unique by the caller's
 * prefixing; `node()` returns the output names so graphs read like code.
 */
export class ModelBuilder {
  private readonly nodes: onnx.NodeProto[] = [];
  private readonly initializers: onnx.TensorProto[] = [];
  private readonly inputs: onnx.ValueInfoProto[] = [];
  private readonly outputs: onnx.ValueInfoProto[] = [];
  private readonly metadata: Record<string, string> = {};

  constructor(private readonly graphName: string, private readonly opset = DEFAULT_OPSET) {}

  input(name: string, shape: readonly Dim[], elemType: number = DataType.FLOAT): string {
    this.inputs.push(valueInfo(name, shape, elemType));
    return name;
  }

  output(name: string, shape: readonly Dim[], elemType: number = DataType.FLOAT): string {
    this.outputs.push(valueInfo(name, shape, elemType));
    return name;
  }

  initializer(tensor: onnx.TensorProto): string {
    this.initializers.push(tensor);
    return tensor.name;
  }

  node(opType: string, inputs: string[], outputs: string[], attrs: Attrs = {}, name = outputs[0] ?? opType): string[] {
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name,
        input: inputs,
        output: outputs,
        attribute: Object.entries(attrs).map(([k, v]) => makeAttr(k, v)),
      }),
    );
    return outputs;
  }

  meta(key: string, value: string): this {
    this.metadata[key] = value;
    return this;
  }

  build(): onnx.ModelProto {
    return onnx.ModelProto.create({
      irVersion: DEFAULT_IR_VERSION,
      producerName: 'edgefit',
      producerVersion: '0.1.0',
      opsetImport: [{ domain: '', version: this.opset }],
      metadataProps: Object.entries(this.metadata).map(([key, value]) => ({ key, value })),
      graph: onnx.GraphProto.create({
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      }),
    });
  }
}
