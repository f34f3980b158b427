import { describe, expect, it } from 'vitest';
import { InvalidModelError } from '@edgefit/core';
import { DataType, allGraphs, assertNoExternalData, floatTensor, listWeights, onnx, outerReferences, tensorDims, tensorToNumbers, walkGraphs } from '@edgefit/onnx';
import { branch, buildIfModel, buildMlp, mainGraph } from '../test-fixtures/models.js';

function makeExternal(t: onnx.ITensorProto, location: string): void {
  t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  t.rawData = new Uint8Array();
  t.externalData = [onnx.StringStringEntryProto.create({ key: 'location', value: location })];
}

describe('walkGraphs / allGraphs', () => {
  it('visits the root and every If branch, nested ones included, with readable paths', () => {
    const graphs = allGraphs(buildIfModel());
    expect(graphs.map((g) => g.graph.name)).toEqual(['if_model', 'then', 'else', 'inner_then', 'inner_else']);
    expect(graphs.map((g) => g.depth)).toEqual([0, 1, 1, 2, 2]);
    expect(graphs[3]!.path).toBe("graph 'if_model' > node 'outer_if' (If).else_branch > node 'inner_if' (If).then_branch");
    expect(graphs[3]!.owner?.node.name).toBe('inner_if');
  });

  it('refuses absurdly deep nesting instead of recursing without end', () => {
    let g = onnx.GraphProto.create({ name: 'leaf' });
    for (let i = 0; i < 40; i++) {
      g = onnx.GraphProto.create({
        name: `g${i}`,
        node: [onnx.NodeProto.create({ opType: 'If', name: `if${i}`, attribute: [{ name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g }] })],
      });
    }
    expect(() => walkGraphs(g, () => {})).toThrow(InvalidModelError);
  });
});

describe('listWeights', () => {
  it('finds initializers and Constant values (value, value_float, value_floats) in all graphs', () => {
    const weights = listWeights(buildIfModel());
    const summary = weights.map((w) => [w.name, w.source, tensorDims(w.tensor), tensorToNumbers(w.tensor)]);
    expect(summary).toEqual([
      ['w_then', 'initializer', [2, 3], [1, 1, 1, 2, 2, 2]],
      ['c_then', 'constant', [3], [1, 2, 3]],
      ['c_else', 'constant', [3], [4, 5, 6]],
      ['k', 'constant', [], [0.5]],
    ]);
    expect(weights[3]!.tensor.dataType).toBe(DataType.FLOAT);
    expect(weights[3]!.where).toContain("inner_if' (If).then_branch");
  });

  it('counts the MLP weights: 6 dense tensors and the dropout ratio', () => {
    expect(listWeights(buildMlp()).map((w) => w.name)).toEqual(['dropout.ratio', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'fc3.weight', 'fc3.bias']);
  });
});

describe('external data is refused everywhere, never opened', () => {
  const cases: [string, (m: onnx.ModelProto) => void, RegExp][] = [
    ['a main-graph initializer', (m) => makeExternal(mainGraph(m).initializer[1]!, '../../etc/passwd'), /tensor 'fc1.weight' \(initializer in graph 'mlp'\).*'\.\.\/\.\.\/etc\/passwd'/],
    ['a Constant value in a subgraph', (m) => makeExternal(branch(mainGraph(m).node[0]!, 'then_branch').node[0]!.attribute![0]!.t!, '/etc/shadow'), /tensor 'c_then' \(value of Constant node 'c_then' \(Constant\) in graph 'if_model' > node 'outer_if' \(If\)\.then_branch\).*'\/etc\/shadow'/],
    ['a subgraph initializer', (m) => makeExternal(branch(mainGraph(m).node[0]!, 'then_branch').initializer[0]!, 'weights.bin'), /tensor 'w_then' \(initializer in graph 'if_model' > node 'outer_if' \(If\)\.then_branch\).*'weights\.bin'/],
  ];
  it.each(cases)('in %s', (_label, corrupt, message) => {
    const model = _label.includes('main') ? buildMlp() : buildIfModel();
    corrupt(model);
    for (const check of [() => assertNoExternalData(model), () => listWeights(model)]) {
      let error: unknown;
      try {
        check();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidModelError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('in any tensor attribute (e.g. ConstantOfShape value)', () => {
    const model = buildMlp();
    const t = floatTensor('fill', [1], [0]);
    makeExternal(t, 'x.bin');
    mainGraph(model).node.push(onnx.NodeProto.create({ opType: 'ConstantOfShape', name: 'cos', input: [], output: ['z'], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t }] }));
    expect(() => assertNoExternalData(model)).toThrow(/tensor 'fill' \(attribute 'value' of node 'cos' \(ConstantOfShape\)/);
  });
});

describe('outerReferences', () => {
  it('lists what a branch reads from enclosing graphs, through nested subgraphs', () => {
    const [, thenG, elseG] = allGraphs(buildIfModel());
    expect([...outerReferences(thenG!.graph)]).toEqual(['x']);
    expect([...outerReferences(elseG!.graph)].sort()).toEqual(['cond2', 'x']);
  });
});
