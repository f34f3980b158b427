import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadModel } from '@edgefit/onnx';
import { UserInputError } from '@edgefit/core';
import { loadExperiment, parseExperiment } from './experiment-spec.js';
import { buildExperimentSpace } from './experiment-space.js';
import { SearchSpace } from '../space/space.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MODELS = join(ROOT, 'models');
const opts = { modelDirs: [MODELS] };

const GOOD = `
name: spec-test
model: lenet-300-100
dataset: mnist
targets:
  - raspberry-pi-4
  - stm32h743
  - profile: bitfusion
    name: bf
    template:
      rows: [8, 16, 32]
      sramKB: { min: 64, max: 512, step: 64 }
      clockMHz: 500
space:
  prune:
    params:
      method: magnitude
      sparsity: { min: 0.2, max: 0.9 }
    layers:
      - select: { op: Gemm, pattern: '^fc[12]$' }
        params:
          sparsity: { min: 0, max: 0.95 }
  quantize:
    optional: false
    params:
      bits: [2, 4, 8]
      form: qdq
objectives:
  - maximize: accuracy
  - minimize: latency
    target: raspberry-pi-4
  - packedBytes
  - energy@bf
constraints:
  - metric: latency
    target: stm32h743
    max: 20
  - metric: packedBytes
    max: 262144
  - metric: accuracy
    min: 0.9
  - fits: stm32h743
  - metric: area
    target: bf
    max: 5
budget: { trials: 10, wallTimeMinutes: 2 }
seed: 3
sampler: motpe
fidelity: { validationSubset: 200, fineTune: false }
`;

function bad(mutate: (doc: Record<string, any>) => void): string {
  const doc = parse(GOOD);
  mutate(doc);
  return stringify(doc);
}

function errorOf(text: string, file = '<inline>'): string {
  try {
    parseExperiment(text, file, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(UserInputError);
    const msg = (err as Error).message;
    expect(msg.split('\n')).toHaveLength(1);
    return msg;
  }
  throw new Error('expected the experiment to be rejected');
}

describe('experiment spec', () => {
  it('parses a good file into objectives, constraints, targets and a space', () => {
    const exp = parseExperiment(GOOD, '<inline>', opts);
    expect(exp.modelPath).toBe(join(MODELS, 'lenet-300-100-mnist.onnx'));
    expect(exp.zoo).toBe('lenet-300-100');
    expect(exp.objectives).toEqual([
      { name: 'accuracy', direction: 'maximize' },
      { name: 'latencyMs@raspberry-pi-4', direction: 'minimize' },
      { name: 'packedBytes', direction: 'minimize' },
      { name: 'energyMj@bf', direction: 'minimize' },
    ]);
    expect(exp.constraints).toEqual([
      { metric: 'latencyMs@stm32h743', op: '<=', bound: 20 },
      { metric: 'packedBytes', op: '<=', bound: 262144 },
      { metric: 'accuracy', op: '>=', bound: 0.9 },
      { metric: 'fits@stm32h743', op: '>=', bound: 1 },
      { metric: 'areaMm2@bf', op: '<=', bound: 5 },
    ]);
    expect(exp.budget).toEqual({ trials: 10, wallTimeMs: 120_000 });
    expect(exp.sampler).toBe('motpe');
    expect(exp.targets.map((t) => t.name)).toEqual(['raspberry-pi-4', 'stm32h743', 'bf']);

    const space = buildExperimentSpace(exp, loadModel(exp.modelPath));
    const names = space.params.map((p) => p.name);
    expect(names).toEqual(['prune.enabled', 'prune.sparsity', 'prune.sparsity.fc1', 'prune.sparsity.fc2', 'quantize.bits', 'hw.bf.rows', 'hw.bf.sramKB']);
    expect(space.params.find((p) => p.name === 'prune.sparsity.fc1')!.condition).toEqual({ param: 'prune.enabled', equals: true });
    // a float range keeps its step (channels come in whole numbers: 0.21 and 0.2 prune the same filters)
    const stepped = buildExperimentSpace(parseExperiment(bad((d) => (d.space.prune.params.sparsity = { min: 0.1, max: 0.5, step: 0.1 })), '<inline>', opts), loadModel(exp.modelPath));
    expect(stepped.params.find((p) => p.name === 'prune.sparsity')).toMatchObject({ kind: 'float', min: 0.1, max: 0.5, step: 0.1 });
    // a config maps back to pass steps with the fixed values filled in, and to a template point
    const ss = new SearchSpace(space.params);
    const config = { 'prune.enabled': true, 'prune.sparsity': 0.5, 'prune.sparsity.fc1': 0.9, 'prune.sparsity.fc2': 0.1, 'quantize.bits': 4, 'hw.bf.rows': 16, 'hw.bf.sramKB': 128 };
    ss.validate(config);
    const steps = space.toSteps(config);
    expect(steps.map((s) => s.pass)).toEqual(['prune', 'quantize']);
    expect(steps[0]!.params.values).toMatchObject({ method: 'magnitude', sparsity: 0.5, fineTuneEpochs: 0 });
    expect(steps[0]!.params.perLayer.sparsity).toEqual({ fc1: 0.9, fc2: 0.1 });
    expect(steps[1]!.params.values).toMatchObject({ bits: 4, form: 'qdq' });
    expect(space.templateValues(config, exp.targets[2]!)).toEqual({ rows: 16, sramKB: 128, clockMHz: 500 });
    expect(space.toSteps({ 'prune.enabled': false, 'quantize.bits': 8, 'hw.bf.rows': 8, 'hw.bf.sramKB': 64 }).map((s) => s.pass)).toEqual(['quantize']);
  });

  it('a pass without params searches every parameter over its own schema ranges', () => {
    const exp = parseExperiment(bad((d) => (d.space = { prune: null })), '<inline>', opts);
    const space = buildExperimentSpace(exp, loadModel(exp.modelPath));
    const sparsity = space.params.find((p) => p.name === 'prune.sparsity');
    expect(sparsity).toMatchObject({ kind: 'float', min: 0, max: 0.99 });
    expect(space.params.find((p) => p.name === 'prune.fineTuneEpochs')).toBeUndefined(); // fine-tuning is off
    // nor is what acts only while fine-tuning: distillation stays at its defaults
    expect(space.params.filter((p) => p.name.startsWith('prune.distill'))).toEqual([]);
    const config = new SearchSpace(space.params).decode(space.params.map(() => 0.75)); // prune on, mid-range values
    expect(space.toSteps(config)[0]!.params.values).toMatchObject({ distill: false, distillTemperature: 4, distillAlpha: 0.5, fineTuneEpochs: 0 });
  });

  it('with fine-tuning, the distillation knobs are searched only in configs that distill', () => {
    const exp = parseExperiment(bad((d) => {
      d.space = { prune: null };
      d.fidelity.fineTune = true;
    }), '<inline>', opts);
    const space = buildExperimentSpace(exp, loadModel(exp.modelPath));
    const temperature = space.params.find((p) => p.name === 'prune.distillTemperature');
    expect(temperature?.condition).toEqual({ param: 'prune.distill', equals: true });
    const s = new SearchSpace(space.params);
    const at = (distill: number) => s.decode(space.params.map((p) => (p.name === 'prune.distill' ? distill : 0.75)));
    const without = at(0.1);
    const withKd = at(0.9);
    expect(without['prune.distill']).toBe(false);
    expect('prune.distillTemperature' in without || 'prune.distillAlpha' in without).toBe(false);
    expect(withKd['prune.distill']).toBe(true);
    expect(withKd['prune.distillTemperature']).toBeGreaterThan(1);
    expect(space.toSteps(without)[0]!.params.values).toMatchObject({ distill: false, distillTemperature: 4, distillAlpha: 0.5 });
    // distillation fixed off by the user: its knobs are not searched at all
    const off = buildExperimentSpace(parseExperiment(bad((d) => {
      d.space = { prune: { params: { distill: false, distillAlpha: [0.2, 0.8], sparsity: [0.1, 0.5] } } };
      d.fidelity.fineTune = true;
    }), '<inline>', opts), loadModel(exp.modelPath));
    expect(off.params.map((p) => p.name)).not.toContain('prune.distillAlpha');
  });

  const cases: [string, (d: Record<string, any>) => void, RegExp][] = [
    ['missing name', (d) => delete d.name, /name: is required/],
    ['unknown top-level field', (d) => (d.objectivs = []), /objectivs: unknown field/],
    ['unknown zoo model', (d) => (d.model = 'resnet-9000'), /model: the trained zoo model 'models\/resnet-9000-mnist.onnx' does not exist; run `npx edgefit train resnet-9000 --dataset mnist`/],
    ['missing model file', (d) => (d.model = 'nope/model.onnx'), /model: model file 'nope\/model.onnx' does not exist/],
    ['unknown dataset', (d) => (d.dataset = 'cifar-1000'), /dataset: unknown dataset 'cifar-1000'/],
    ['unknown device', (d) => (d.targets[0] = 'pdp-11'), /targets\[0\]: unknown device 'pdp-11'/],
    ['template on a fixed device', (d) => (d.targets[1] = { profile: 'stm32h743', template: { rows: [8] } }), /targets\[1\]\.template: device 'stm32h743' is not a template/],
    ['unknown template parameter', (d) => (d.targets[2].template.lanes = [1, 2]), /targets\[2\]\.template\.lanes: 'lanes' is not a parameter of template 'bitfusion'/],
    ['template value out of range', (d) => (d.targets[2].template.rows = [8, 128]), /targets\[2\]\.template\.rows: 128 is outside the template's range/],
    ['unknown pass', (d) => (d.space.distill = null), /space\.distill: unknown pass 'distill'/],
    ['unknown pass parameter', (d) => (d.space.prune.params.ratio = 0.5), /space\.prune\.params\.ratio: pass 'prune' has no parameter 'ratio'/],
    ['range beyond the schema', (d) => (d.space.prune.params.sparsity = { min: 0.1, max: 1.5 }), /space\.prune\.params\.sparsity: max 1\.5 is above the highest allowed value 0\.99/],
    ['illegal choice', (d) => (d.space.quantize.params.bits = [3, 8]), /space\.quantize\.params\.bits: must be one of 1, 2, 4, 8, got 3/],
    ['illegal categorical', (d) => (d.space.prune.params.method = 'random'), /space\.prune\.params\.method: must be one of magnitude/],
    ['range on a categorical', (d) => (d.space.prune.params.method = { min: 0, max: 1 }), /space\.prune\.params\.method: a min\/max range needs a numeric parameter/],
    ['min > max', (d) => (d.space.prune.params.sparsity = { min: 0.8, max: 0.2 }), /sparsity: min 0\.8 is greater than max 0\.2/],
    ['float step with log', (d) => (d.space.prune.params.sparsity = { min: 0.1, max: 0.9, step: 0.1, log: true }), /space\.prune\.params\.sparsity: a float range takes a step or a log scale, not both/],
    ['per-layer on a global param', (d) => (d.space.prune.layers[0].params = { method: 'magnitude' }), /space\.prune\.layers\[0\]\.params\.method: parameter 'method' of pass 'prune' cannot be set per layer/],
    ['empty selector', (d) => (d.space.prune.layers[0].select = {}), /space\.prune\.layers\[0\]\.select: give name, op or pattern/],
    ['bad regex', (d) => (d.space.prune.layers[0].select = { pattern: '(' }), /space\.prune\.layers\[0\]\.select\.pattern: not a regular expression/],
    ['unknown metric', (d) => (d.objectives[2] = 'beauty'), /objectives\[2\]: unknown metric 'beauty'/],
    ['metric target not declared', (d) => (d.objectives[1].target = 'edge-tpu'), /objectives\[1\]: target 'edge-tpu' is not among the experiment's targets/],
    ['per-target metric without target', (d) => (d.objectives[1] = { minimize: 'latency' }), /objectives\[1\]: metric 'latency' needs a target/],
    ['template metric on a fixed device', (d) => (d.objectives[3] = 'area@stm32h743'), /objectives\[3\]: metric 'area' needs a template target/],
    ['duplicate objective', (d) => d.objectives.push('packedSize'), /objectives\[4\]: objective 'packedBytes' appears twice/],
    ['constraint with max and min', (d) => (d.constraints[1].min = 1), /constraints\[1\]: give exactly one of max or min/],
    ['fits on an unknown target', (d) => (d.constraints[3] = { fits: 'edge-tpu' }), /constraints\[3\]\.fits: target 'edge-tpu'/],
    ['bad budget', (d) => (d.budget = { trials: -3 }), /budget\.trials: /],
    ['empty budget', (d) => (d.budget = {}), /budget: give trials or wallTimeMinutes/],
    ['unknown sampler', (d) => (d.sampler = 'hillclimb'), /sampler: /],
    ['bad fidelity', (d) => (d.fidelity.validationSubset = 0), /fidelity\.validationSubset: /],
    ['halving subsets not increasing', (d) => (d.fidelity.halving = { validationSubsets: [500, 200] }), /fidelity\.halving\.validationSubsets: must increase/],
    ['fine-tuning searched while off', (d) => (d.space.prune.params.fineTuneEpochs = [0, 1]), /space\.prune\.params\.fineTuneEpochs: fine-tuning is off/],
    ['distillation searched while fine-tuning is off', (d) => (d.space.prune.params.distill = [true, false]), /space\.prune\.params\.distill: acts only while fine-tuning, which is off/],
  ];
  for (const [what, mutate, pattern] of cases) {
    it(`rejects ${what} with one line naming the field`, () => {
      const text = bad(mutate);
      let msg: string;
      try {
        // space-level checks (fine-tuning) surface when the space is built
        const exp = parseExperiment(text, '<inline>', opts);
        buildExperimentSpace(exp, loadModel(exp.modelPath));
        throw new Error('expected the experiment to be rejected');
      } catch (err) {
        expect(err).toBeInstanceOf(UserInputError);
        msg = (err as Error).message;
      }
      expect(msg.split('\n')).toHaveLength(1);
      expect(msg).toMatch(pattern);
    });
  }

  it('names the file, and reports YAML syntax errors with the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgefit-spec-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'name: x\nspace: [unclosed\nobjectives: {\n');
    expect(() => loadExperiment(file, opts)).toThrow(/broken\.yaml: not valid YAML at line \d+/);
    expect(errorOf('name: x\nspace: [unclosed\n', file)).toMatch(/^.*broken\.yaml: not valid YAML/);
    expect(errorOf('- just\n- a list\n')).toMatch(/an experiment is a mapping/);
    expect(() => loadExperiment(join(dir, 'missing.yaml'))).toThrow(/does not exist/);
  });

  it('resolves an ONNX path relative to the experiment file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgefit-spec-'));
    const file = join(dir, 'exp.yaml');
    writeFileSync(file, bad((d) => (d.model = join(MODELS, 'lenet-300-100-mnist.onnx'))));
    expect(loadExperiment(file, opts).modelPath).toBe(join(MODELS, 'lenet-300-100-mnist.onnx'));
    writeFileSync(file, bad((d) => (d.model = './here.onnx')));
    expect(() => loadExperiment(file, opts)).toThrow(/exp\.yaml: model: model file '\.\/here\.onnx' does not exist/);
  });

  it('every experiment in experiments/ is valid', () => {
    const dir = join(ROOT, 'experiments');
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toContain('quickstart.yaml');
    for (const f of files) {
      try {
        loadExperiment(join(dir, f), opts);
      } catch (err) {
        // a zoo model that is not trained yet is the only acceptable failure
        expect((err as Error).message).toMatch(/run `npx edgefit train/);
      }
    }
  });
});
