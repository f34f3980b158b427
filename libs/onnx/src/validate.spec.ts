import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidModelError, LimitExceededError, SeededRng, UnsupportedOperatorError, type EdgefitError } from '@edgefit/core';
import { DEFAULT_LIMITS, DataType, ModelBuilder, decodeModel, encodeModel, floatTensor, int64Tensor, onnx, validateModel } from '@edgefit/onnx';
import { branch, buildIfModel, buildLenet5, buildMlp, mainGraph } from '../test-fixtures/models.js';
import { singleOp } from '../test-fixtures/single-op.js';

const VAD_LEGACY = 'node_modules/@ricky0123/vad-web/dist/silero_vad_legacy.onnx';

/** The call throws exactly this EdgefitError subclass, with a one-line message matching `message`. */
function expectRefused(fn: () => unknown, kind: new (...args: never[]) => EdgefitError, message: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected an error').toBeInstanceOf(kind);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain('\n');
}

const validateBytes = (bytes: Uint8Array) => () => validateModel(decodeModel(bytes, 'upload.onnx'));

describe('validateModel accepts sound models', () => {
  it.each([['MLP', buildMlp], ['LeNet-5', buildLenet5], ['If model', buildIfModel]])('%s', (_name, build) => {
    const report = validateModel(build());
    expect(report.irVersion).toBe(8);
    expect(report.opsets['']).toBe(17);
  });

  it('documents its limits', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxTensorElements: 2 ** 28, maxRank: 8, maxDim: 2 ** 31, maxWeightBytes: 512 * 1024 * 1024, maxNodes: 100_000,
      minIrVersion: 3, maxIrVersion: 10, minOpset: 7, maxOpset: 21,
    });
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });
});

describe('bad input is refused with the right error, one line, naming the problem', () => {
  it('empty bytes', () => {
    expectRefused(validateBytes(new Uint8Array()), InvalidModelError, /^upload\.onnx: empty file, not an ONNX model$/);
  });

  it('1 KB of seeded random bytes (several seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = new SeededRng(seed);
      const bytes = Uint8Array.from({ length: 1024 }, () => rng.int(0, 255));
      expectRefused(validateBytes(bytes), InvalidModelError, /^upload\.onnx: not (a readable ONNX model \(truncated or not protobuf: .*\)|an ONNX model \(no graph found\))$/);
    }
  });

  it('a truncated real model', () => {
    const bytes = readFileSync(VAD_LEGACY);
    for (const cut of [0.5, 0.9, 0.999]) {
      expectRefused(validateBytes(bytes.subarray(0, Math.floor(bytes.length * cut))), InvalidModelError, /^upload\.onnx: not a readable ONNX model \(truncated or not protobuf/);
    }
  });

  it("an external-data tensor pointing at '../../etc/passwd' (never opened)", () => {
    const model = buildMlp();
    const w = mainGraph(model).initializer.find((t) => t.name === 'fc2.weight')!;
    w.rawData = new Uint8Array();
    w.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    w.externalData = [onnx.StringStringEntryProto.create({ key: 'location', value: '../../etc/passwd' })];
    expectRefused(validateBytes(encodeModel(model)), InvalidModelError, /^tensor 'fc2\.weight' \(initializer in graph 'mlp'\) stores its data in an external file \('\.\.\/\.\.\/etc\/passwd'\)/);
  });

  it('a ConstantOfShape bomb of 2^40 elements', () => {
    const model = singleOp({ op: 'ConstantOfShape', inputs: [], initializers: [int64Tensor('shape', [2], [2 ** 20, 2 ** 20])], outputs: ['y'] });
    expectRefused(validateBytes(encodeModel(model)), LimitExceededError, /^node 'op' \(ConstantOfShape\) in graph 'constantofshape': output 'y' would produce \[1048576, 1048576\] = 1099511627776 elements, over the limit of 268435456 \(maxTensorElements\)/);
  });

  it('an unknown op', () => {
    const b = new ModelBuilder('custom');
    b.input('x', [1, 4]);
    b.node('LaunchMissiles', ['x'], ['y'], {}, 'boom');
    b.output('y', [1, 4]);
    expectRefused(validateBytes(encodeModel(b.build())), UnsupportedOperatorError, /^unsupported operator 'LaunchMissiles' in node 'boom' \(LaunchMissiles\) of graph 'custom': it is not on edgefit's operator allowlist$/);
  });

  it('an op of an unknown domain, even inside an If branch', () => {
    const model = buildIfModel();
    branch(mainGraph(model).node[0]!, 'then_branch').node[1]!.domain = 'com.evil';
    expectRefused(() => validateModel(model), UnsupportedOperatorError, /^unsupported operator 'Add' \(domain 'com\.evil'\) in node 't1' \(Add\) of graph 'if_model' > node 'outer_if' \(If\)\.then_branch/);
  });
});

describe('allocation bombs with constant arguments', () => {
  const bombs: [string, Parameters<typeof singleOp>[0]][] = [
    ['Expand', { op: 'Expand', inputs: [['x', [1]]], initializers: [int64Tensor('s', [3], [4096, 4096, 4096])], outputs: ['y'] }],
    ['Tile', { op: 'Tile', inputs: [['x', [16, 16]]], initializers: [int64Tensor('r', [2], [100_000, 100_000])], outputs: ['y'] }],
    ['Range', { op: 'Range', inputs: [], initializers: [floatTensor('a', [], [0]), floatTensor('b', [], [1e12]), floatTensor('d', [], [1])], outputs: ['y'] }],
    ['Resize', { op: 'Resize', inputs: [['x', [1, 3, 64, 64]]], initializers: [floatTensor('sc', [4], [1, 1, 1000, 1000])], nodeInputs: ['x', '', 'sc'], outputs: ['y'] }],
  ];
  it.each(bombs)('%s', (op, spec) => {
    expectRefused(() => validateModel(singleOp(spec)), LimitExceededError, new RegExp(`^node 'op' \\(${op}\\) in graph '\\w+': output 'y' .* over the limit of (268435456 \\(maxTensorElements|2147483648 \\(maxDim)\\)`));
  });
});

describe('versions, caps and wiring', () => {
  const withVersions = (ir: number, opset: number) => {
    const m = buildMlp();
    m.irVersion = ir;
    m.opsetImport[0]!.version = opset;
    return m;
  };
  it('ir_version and opset ranges', () => {
    expectRefused(() => validateModel(withVersions(11, 17)), InvalidModelError, /^model ir_version 11 is outside the supported range 3\.\.10/);
    expectRefused(() => validateModel(withVersions(2, 17)), InvalidModelError, /ir_version 2 is outside/);
    expectRefused(() => validateModel(withVersions(8, 22)), InvalidModelError, /^model uses opset 22 of the default ONNX domain, outside the supported range 7\.\.21/);
    expectRefused(() => validateModel(withVersions(8, 6)), InvalidModelError, /opset 6/);
    expectRefused(() => validateModel(withVersions(8, 21)), InvalidModelError, /^model uses opset 21 with ir_version 8; opset 21 and later need ir_version 10$/);
    expect(() => validateModel(withVersions(10, 21))).not.toThrow();
  });

  it('a node in a domain the model does not import', () => {
    const m = buildMlp();
    mainGraph(m).node[2]!.domain = 'com.microsoft';
    expectRefused(() => validateModel(m), InvalidModelError, /node 'relu1' \(Relu\) of graph 'mlp' uses domain 'com\.microsoft', which the model does not import/);
  });

  it('declared dims: too many elements, too large, negative, too many axes', () => {
    const declared = (shape: number[]) => {
      const b = new ModelBuilder('decl');
      b.input('x', shape);
      b.node('Relu', ['x'], ['y']);
      b.output('y', shape);
      return b.build();
    };
    expectRefused(() => validateModel(declared([2 ** 20, 2 ** 20])), LimitExceededError, /^value 'x' in graph 'decl' declares \[1048576, 1048576\] = 1099511627776 elements/);
    expectRefused(() => validateModel(declared([2 ** 32])), LimitExceededError, /dimension 4294967296 .* over the limit of 2147483648 \(maxDim\)/);
    expectRefused(() => validateModel(declared([-3, 2])), InvalidModelError, /^value 'x' in graph 'decl' has invalid dimension -3/);
    expectRefused(() => validateModel(declared([1, 1, 1, 1, 1, 1, 1, 1, 1])), LimitExceededError, /has rank 9, over the limit of 8 \(maxRank\)/);
  });

  it('stored tensors: payload must match the shape; total weight bytes capped', () => {
    const m = buildMlp();
    mainGraph(m).initializer.find((t) => t.name === 'fc3.bias')!.rawData = new Uint8Array(8);
    expectRefused(() => validateModel(m), InvalidModelError, /^tensor 'fc3\.bias' \(initializer in graph 'mlp'\) holds 8 bytes but its shape \[10\] of FLOAT needs 40$/);
    const huge = buildMlp();
    mainGraph(huge).initializer.push(onnx.TensorProto.create({ name: 'claims', dims: [2 ** 30], dataType: DataType.FLOAT }));
    expectRefused(() => validateModel(huge), LimitExceededError, /^tensor 'claims' \(initializer in graph 'mlp'\) stores \[1073741824\]/);
    expectRefused(() => validateModel(buildMlp(), { maxWeightBytes: 1000 }), LimitExceededError, /^model weights take 1066444 bytes, over the limit of 1000 \(maxWeightBytes\)$/);
  });

  it('dangling node inputs, missing graph outputs, unsorted nodes', () => {
    const dangling = buildMlp();
    mainGraph(dangling).node[4]!.input![0] = 'ghost';
    expectRefused(() => validateModel(dangling), InvalidModelError, /^node 'fc2' \(Gemm\) in graph 'mlp' reads 'ghost', which is not a graph input, initializer or output of an earlier node$/);
    const noOutput = buildMlp();
    mainGraph(noOutput).output[0]!.name = 'missing';
    expectRefused(() => validateModel(noOutput), InvalidModelError, /^graph output 'missing' of graph 'mlp' is not produced/);
    const unsorted = buildMlp();
    mainGraph(unsorted).node.reverse();
    expectRefused(() => validateModel(unsorted), InvalidModelError, /^node 'fc3' \(Gemm\) in graph 'mlp' reads 'drop2'/);
    const missingInput = buildMlp();
    mainGraph(missingInput).input = [];
    expectRefused(() => validateModel(missingInput), InvalidModelError, /^node 'flatten' \(Flatten\) in graph 'mlp' reads 'input'/);
  });
});
