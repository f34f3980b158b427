/**
 * Test models built with ModelBuilder and seeded weights, shared by the
 * libs/onnx specs. Each builder returns a fresh ModelProto.
 */
import { SeededRng } from '@edgefit/core';
import { DataType, ModelBuilder, floatTensor, onnx, type Dim } from '@edgefit/onnx';

export function seededFloats(rng: SeededRng, n: number, scale = 0.1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

/** A dense layer as Gemm with a [out, in] weight (transB = 1, the PyTorch layout). */
function dense(b: ModelBuilder, rng: SeededRng, x: string, name: string, inF: number, outF: number): string {
  const w = b.initializer(floatTensor(`${name}.weight`, [outF, inF], seededFloats(rng, inF * outF)));
  const bias = b.initializer(floatTensor(`${name}.bias`, [outF], seededFloats(rng, outF)));
  return b.node('Gemm', [x, w, bias], [`${name}.out`], { transB: 1 }, name)[0]!;
}

/** Flatten → Gemm 784→300 → Relu → Dropout → Gemm 300→100 → Relu → Dropout → Gemm 100→10. */
export function buildMlp(batch: Dim = 'N', seed = 1): onnx.ModelProto {
  const rng = new SeededRng(seed);
  const b = new ModelBuilder('mlp');
  const x = b.input('input', [batch, 1, 28, 28]);
  const ratio = b.initializer(floatTensor('dropout.ratio', [], [0.2]));
  let h = b.node('Flatten', [x], ['flat'], { axis: 1 }, 'flatten')[0]!;
  h = dense(b, rng, h, 'fc1', 784, 300);
  h = b.node('Relu', [h], ['relu1'], {}, 'relu1')[0]!;
  h = b.node('Dropout', [h, ratio], ['drop1'], {}, 'dropout1')[0]!;
  h = dense(b, rng, h, 'fc2', 300, 100);
  h = b.node('Relu', [h], ['relu2'], {}, 'relu2')[0]!;
  h = b.node('Dropout', [h, ratio], ['drop2'], {}, 'dropout2')[0]!;
  const y = dense(b, rng, h, 'fc3', 100, 10);
  b.output(y, [batch, 10]);
  return b.build();
}

function conv(b: ModelBuilder, rng: SeededRng, x: string, name: string, cin: number, cout: number, k: number, pads: number[]): string {
  const w = b.initializer(floatTensor(`${name}.weight`, [cout, cin, k, k], seededFloats(rng, cout * cin * k * k)));
  const bias = b.initializer(floatTensor(`${name}.bias`, [cout], seededFloats(rng, cout)));
  return b.node('Conv', [x, w, bias], [`${name}.out`], { kernel_shape: [k, k], pads }, name)[0]!;
}

/** LeNet-5: Conv 1→6 5×5 pad 2, Relu, MaxPool 2, Conv 6→16 5×5, Relu, MaxPool 2, Flatten, Gemm 400→120→84→10. */
export function buildLenet5(batch: Dim = 'N', seed = 2): onnx.ModelProto {
  const rng = new SeededRng(seed);
  const b = new ModelBuilder('lenet5');
  let h = b.input('input', [batch, 1, 28, 28]);
  h = conv(b, rng, h, 'conv1', 1, 6, 5, [2, 2, 2, 2]);
  h = b.node('Relu', [h], ['relu1'], {}, 'relu1')[0]!;
  h = b.node('MaxPool', [h], ['pool1'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool1')[0]!;
  h = conv(b, rng, h, 'conv2', 6, 16, 5, [0, 0, 0, 0]);
  h = b.node('Relu', [h], ['relu2'], {}, 'relu2')[0]!;
  h = b.node('MaxPool', [h], ['pool2'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool2')[0]!;
  h = b.node('Flatten', [h], ['flat'], { axis: 1 }, 'flatten')[0]!;
  h = dense(b, rng, h, 'fc1', 400, 120);
  h = b.node('Relu', [h], ['relu3'], {}, 'relu3')[0]!;
  h = dense(b, rng, h, 'fc2', 120, 84);
  h = b.node('Relu', [h], ['relu4'], {}, 'relu4')[0]!;
  const y = dense(b, rng, h, 'fc3', 84, 10);
  b.output(y, [batch, 10]);
  return b.build();
}

/** A ValueInfo with an element type and no shape: lets onnxruntime report whatever shape it computes. */
export function shapelessValue(name: string, elemType: number = DataType.FLOAT): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType } } });
}

/** Replace the graph outputs with shapeless ones of the given names and types. */
export function setOutputs(model: onnx.ModelProto, outputs: [string, number?][]): onnx.ModelProto {
  model.graph!.output = outputs.map(([name, t]) => shapelessValue(name, t ?? DataType.FLOAT));
  return model;
}

function graph(name: string, nodes: onnx.NodeProto[], outputs: string[], initializer: onnx.TensorProto[] = []): onnx.GraphProto {
  return onnx.GraphProto.create({ name, node: nodes, output: outputs.map((o) => shapelessValue(o)), initializer });
}

function nodeOf(opType: string, input: string[], output: string[], attribute: onnx.AttributeProto[] = [], name = output[0]!): onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input, output, attribute, name });
}

/**
 * y = cond ? x + c_then + w_then : (cond2 ? x·c_else + k : x·c_else), with
 * weights in a Constant `value`, a subgraph initializer, Constant
 * value_floats and value_float, and an If nested in the else branch.
 */
export function buildIfModel(): onnx.ModelProto {
  const T = onnx.AttributeProto.AttributeType;
  const b = new ModelBuilder('if_model');
  b.input('x', [2, 3]);
  b.input('cond', [], DataType.BOOL);
  b.input('cond2', [], DataType.BOOL);
  const thenG = graph('then', [
    nodeOf('Constant', [], ['c_then'], [onnx.AttributeProto.create({ name: 'value', type: T.TENSOR, t: floatTensor('c_then', [3], [1, 2, 3]) })]),
    nodeOf('Add', ['x', 'c_then'], ['t1']),
    nodeOf('Add', ['t1', 'w_then'], ['y_then']),
  ], ['y_then'], [floatTensor('w_then', [2, 3], [1, 1, 1, 2, 2, 2])]);
  const innerThen = graph('inner_then', [
    nodeOf('Constant', [], ['k'], [onnx.AttributeProto.create({ name: 'value_float', type: T.FLOAT, f: 0.5 })]),
    nodeOf('Add', ['m', 'k'], ['y_inner']),
  ], ['y_inner']);
  const innerElse = graph('inner_else', [nodeOf('Identity', ['m'], ['y_id'])], ['y_id']);
  const elseG = graph('else', [
    nodeOf('Constant', [], ['c_else'], [onnx.AttributeProto.create({ name: 'value_floats', type: T.FLOATS, floats: [4, 5, 6] })]),
    nodeOf('Mul', ['x', 'c_else'], ['m']),
    nodeOf('If', ['cond2'], ['y_else'], [
      onnx.AttributeProto.create({ name: 'then_branch', type: T.GRAPH, g: innerThen }),
      onnx.AttributeProto.create({ name: 'else_branch', type: T.GRAPH, g: innerElse }),
    ], 'inner_if'),
  ], ['y_else']);
  b.node('If', ['cond'], ['y'], { then_branch: thenG, else_branch: elseG }, 'outer_if');
  b.output('y', [2, 3]);
  return b.build();
}

/** The main graph with its repeated fields typed as present (protobufjs always fills them). */
export function mainGraph(model: onnx.IModelProto): onnx.GraphProto {
  return model.graph as onnx.GraphProto;
}

/** A graph attribute of a node, typed as a full GraphProto. */
export function branch(node: onnx.INodeProto, name: string): onnx.GraphProto {
  return node.attribute!.find((a) => a.name === name)!.g as onnx.GraphProto;
}
