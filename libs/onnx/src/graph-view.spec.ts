import { describe, expect, it } from 'vitest';
import { InvalidModelError } from '@edgefit/core';
import { GraphEditError, GraphView, ModelBuilder, encodeModel, floatTensor, onnx } from '@edgefit/onnx';
import { branch, buildIfModel, buildMlp, mainGraph } from '../test-fixtures/models.js';
import { floatInput, ort, runModel, snapshot } from '../test-fixtures/ort.js';

const mlpInput = () => ({ input: floatInput([2, 1, 28, 28]) });
const node = (opType: string, input: string[], output: string[], name = output[0]!, attribute: onnx.IAttributeProto[] = []) =>
  onnx.NodeProto.create({ opType, input, output, name, attribute });

async function mlpOutputs(model: onnx.ModelProto) {
  return snapshot(await runModel(encodeModel(model), mlpInput()));
}

function ifFeeds(x = 'x', cond = true, cond2 = true) {
  return { [x]: floatInput([2, 3]), cond: new ort.Tensor('bool', [cond], []), cond2: new ort.Tensor('bool', [cond2], []) };
}

describe('GraphView lookups', () => {
  const view = new GraphView(buildMlp().graph!);
  it('finds producers, consumers, initializers and nodes by name', () => {
    expect(view.producer('fc1.out')?.name).toBe('fc1');
    expect(view.producer('input')).toBeUndefined();
    expect(view.consumers('relu1').map((n) => n.name)).toEqual(['dropout1']);
    expect(view.consumers('dropout.ratio').map((n) => n.name)).toEqual(['dropout1', 'dropout2']);
    expect(view.initializer('fc1.bias')?.dims).toEqual([300]);
    expect(view.nodeByName('relu2')?.opType).toBe('Relu');
    expect(view.isGraphOutput('fc3.out')).toBe(true);
    expect(view.isConstant('fc2.weight')).toBe(true);
  });

  it('counts a value read inside a subgraph as read by the node holding the subgraph', () => {
    const ifView = new GraphView(buildIfModel().graph!);
    expect(ifView.consumers('x').map((n) => n.name)).toEqual(['outer_if']);
    expect(ifView.consumers('cond2').map((n) => n.name)).toEqual(['outer_if']);
  });
});

describe('GraphView edits keep the model runnable in onnxruntime', () => {
  it('removeNode bypasses Dropout nodes and drops the ratio once unused; outputs unchanged', async () => {
    const before = await mlpOutputs(buildMlp());
    const model = buildMlp();
    const view = new GraphView(model.graph!);
    view.removeNode('dropout1');
    expect(view.consumers('relu1').map((n) => n.name)).toEqual(['fc2']);
    expect(view.initializer('dropout.ratio')).toBeDefined();
    view.removeNode('dropout2');
    expect(view.initializer('dropout.ratio')).toBeUndefined();
    expect(mainGraph(model).node.map((n) => n.opType)).toEqual(['Flatten', 'Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']);
    expect(await mlpOutputs(model)).toEqual(before);
  });

  it('removeNode of a node feeding a graph output hands the output name to the producer', async () => {
    const model = buildMlp();
    const view = new GraphView(model.graph!);
    view.renameValue('fc3.out', 'logits');
    view.insertNodeAfter('fc3', node('Identity', ['logits'], ['y']));
    mainGraph(model).output[0]!.name = 'y';
    const before = snapshot(await runModel(encodeModel(model), mlpInput()));
    view.removeNode('y');
    expect(view.producer('y')?.name).toBe('fc3');
    expect(snapshot(await runModel(encodeModel(model), mlpInput()))).toEqual(before);
  });

  it('removeNode refuses a node with two data inputs, and removes a dead node', () => {
    const b = new ModelBuilder('residual');
    b.input('a', [1, 4]);
    b.input('b', [1, 4]);
    b.node('Add', ['a', 'b'], ['sum'], {}, 'add');
    b.node('Relu', ['sum'], ['dead'], {}, 'dead_relu');
    b.output('sum', [1, 4]);
    const view = new GraphView(b.build().graph!);
    expect(() => view.removeNode('add')).toThrow(GraphEditError);
    expect(() => view.removeNode('add')).toThrow(/node 'add' \(Add\): it has 2 data inputs/);
    view.removeNode('dead_relu');
    expect(view.nodes.map((n) => n.name)).toEqual(['add']);
  });

  it('replaceNode swaps Relu for an equivalent LeakyRelu(alpha 0); outputs unchanged', async () => {
    const before = await mlpOutputs(buildMlp());
    const model = buildMlp();
    const view = new GraphView(model.graph!);
    view.replaceNode('relu1', node('LeakyRelu', ['fc1.out'], ['relu1'], 'leaky1', [{ name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0 }]));
    expect(view.producer('relu1')?.opType).toBe('LeakyRelu');
    expect(await mlpOutputs(model)).toEqual(before);
  });

  it('insertNodeBefore/After with replaceUses put a node on an edge; outputs unchanged for an identity', async () => {
    const before = await mlpOutputs(buildMlp());
    const model = buildMlp();
    const view = new GraphView(model.graph!);
    const id = node('Identity', ['relu2'], ['relu2.id']);
    view.insertNodeAfter('relu2', id);
    view.replaceUses('relu2', 'relu2.id', [id]);
    const scale = node('Mul', ['flat', 'one'], ['flat.scaled']);
    view.addInitializer(floatTensor('one', [], [1]));
    view.insertNodeBefore('fc1', scale);
    view.replaceUses('flat', 'flat.scaled', [scale]);
    expect(view.consumers('relu2.id').map((n) => n.name)).toEqual(['dropout2']);
    expect(view.producer('flat.scaled')).toBe(scale);
    expect(await mlpOutputs(model)).toEqual(before);
    expect(() => view.insertNodeAfter('relu1', node('Relu', ['x'], ['fc1.out']))).toThrow(/would define 'fc1.out', which graph 'mlp' already defines/);
  });

  it('renameValue renames definitions and reads, inside subgraphs too', async () => {
    const original = snapshot(await runModel(encodeModel(buildIfModel()), ifFeeds('x', false, true)));
    const model = buildIfModel();
    const view = new GraphView(model.graph!);
    view.renameValue('x', 'features');
    view.renameValue('cond2', 'flag');
    expect(mainGraph(model).input.map((i) => i.name)).toEqual(['features', 'cond', 'flag']);
    const elseBranch = branch(mainGraph(model).node[0]!, 'else_branch');
    expect(elseBranch.node[1]!.input).toEqual(['features', 'c_else']);
    expect(elseBranch.node[2]!.input).toEqual(['flag']);
    const renamed = snapshot(await runModel(encodeModel(model), { ...ifFeeds('features', false, true), flag: new ort.Tensor('bool', [true], []) }));
    expect(renamed).toEqual(original);
    expect(() => view.renameValue('features', 'cond')).toThrow(/already defines 'cond'/);
  });

  it('addInitializer / removeInitializer / removeUnusedInitializers', async () => {
    const model = buildMlp();
    const view = new GraphView(model.graph!);
    view.addInitializer(floatTensor('unused', [2], [1, 2]));
    expect(() => view.addInitializer(floatTensor('fc1.bias', [1], [0]))).toThrow(/already defined/);
    expect(() => view.removeInitializer('fc1.bias')).toThrow(/node 'fc1' \(Gemm\) still reads it/);
    expect(view.removeUnusedInitializers()).toEqual(['unused']);
    expect(view.removeUnusedInitializers()).toEqual([]);
    expect(await mlpOutputs(model)).toEqual(await mlpOutputs(buildMlp()));
  });
});

describe('GraphView.toposort', () => {
  it('restores a shuffled graph to its original order (stable), and the model runs', async () => {
    const model = buildMlp();
    const order = mainGraph(model).node.map((n) => n.name);
    mainGraph(model).node.reverse();
    new GraphView(model.graph!).toposort();
    expect(mainGraph(model).node.map((n) => n.name)).toEqual(order);
    expect(await mlpOutputs(model)).toEqual(await mlpOutputs(buildMlp()));
  });

  it('orders a producer before an If whose branch reads its output', async () => {
    const model = buildIfModel();
    mainGraph(model).input = mainGraph(model).input.filter((i) => i.name !== 'cond2');
    mainGraph(model).node.push(node('Not', ['cond'], ['cond2'], 'not'));
    new GraphView(model.graph!).toposort();
    expect(mainGraph(model).node.map((n) => n.name)).toEqual(['not', 'outer_if']);
    const { cond2: _drop, ...feeds } = ifFeeds('x', false);
    const out = await runModel(encodeModel(model), feeds);
    expect(out.y!.dims).toEqual([2, 3]);
  });

  it('names the node on a cycle and the node with a missing input', () => {
    const cyclic = buildMlp();
    mainGraph(cyclic).node.find((n) => n.name === 'relu1')!.input = ['drop2'];
    expect(() => new GraphView(cyclic.graph!).toposort()).toThrow(InvalidModelError);
    expect(() => new GraphView(cyclic.graph!).toposort()).toThrow(/node '(relu1|dropout1|fc2|relu2|dropout2)' \(\w+\) in graph 'mlp' is part of a cycle/);
    const dangling = buildMlp();
    mainGraph(dangling).node[3]!.input = ['nowhere', 'dropout.ratio'];
    expect(() => new GraphView(dangling.graph!).toposort()).toThrow(/node 'dropout1' \(Dropout\) in graph 'mlp' reads 'nowhere', which no node, initializer or graph input defines/);
  });
});
