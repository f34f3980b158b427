import * as tf from '@tensorflow/tfjs';
import { SeededRng, UserInputError } from '@edgefit/core';
import { int64, tensorDims, tensorToFloat32, type onnx } from '@edgefit/onnx';
import type { RunContext } from '../ops/op-types.js';
import { compileGraph, type Step } from './compile-graph.js';
import type { ExecutorOptions, GraphInputInfo, RunOptions, TensorMap, WeightSnapshot } from './executor-types.js';
import { toOnnx } from './layout.js';
import { MaskStream } from './mask-stream.js';
import { classifyInitializers, type InitializerRoles } from './trainable.js';
import { onnxValue, type Value } from './value.js';
import { writeInitializers } from './write-back.js';

function inputInfo(v: onnx.IValueInfoProto): GraphInputInfo {
  const dims = v.type?.tensorType?.shape?.dim ?? [];
  return { name: v.name ?? '', shape: dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? int64(d.dimValue as number) : '?')) };
}

/**
 * Runs an ONNX graph as tfjs ops. Float weights are tf.Variables (trainable:
 * Conv/Gemm/MatMul weights and biases, BN scale and bias; state: BN running
 * statistics), every other initializer is a constant tensor. The backend
 * must be initialized first (`initTrainingBackend`, or use createExecutor).
 */
export class OnnxExecutor {
  readonly inputs: GraphInputInfo[];
  readonly outputNames: string[];
  /** Trainable weights by initializer name. */
  readonly variables = new Map<string, tf.Variable>();
  /** BatchNormalization running statistics by initializer name. */
  readonly state = new Map<string, tf.Variable>();
  private readonly constantTensors = new Map<string, tf.Tensor>();
  private readonly steps: Step[];
  private readonly producer: Map<string, number>;
  private readonly masks: MaskStream;
  private readonly plans = new Map<string, Step[]>();
  private disposed = false;

  constructor(private readonly model: onnx.IModelProto, opts: ExecutorOptions = {}) {
    const graph = model.graph!;
    const compiled = compileGraph(model);
    this.steps = compiled.steps;
    this.producer = compiled.producer;
    const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
    this.inputs = (graph.input ?? []).filter((v) => !initializerNames.has(v.name ?? '')).map(inputInfo);
    this.outputNames = (graph.output ?? []).map((v) => v.name ?? '');
    const roles = classifyInitializers(graph, new Set(opts.freeze ?? []));
    try {
      for (const [name, t] of compiled.constants) this.hold(name, t, roles);
    } catch (err) {
      this.dispose();
      throw err;
    }
    this.masks = new MaskStream(new SeededRng(opts.seed ?? 0).fork('dropout'));
  }

  /** Make an initializer (or folded Constant) a variable, a state variable or a constant tensor. */
  private hold(name: string, t: onnx.ITensorProto, roles: InitializerRoles): void {
    const values = tf.tensor(tensorToFloat32(t, `initializer '${name}'`), tensorDims(t), 'float32');
    if (roles.trainable.has(name)) this.variables.set(name, tf.variable(values, true));
    else if (roles.state.has(name)) this.state.set(name, tf.variable(values, false));
    else return void this.constantTensors.set(name, values);
    values.dispose();
  }

  /** The steps needed for `outputs`, in graph order (nodes that feed nothing requested are skipped). */
  private plan(outputs: readonly string[]): Step[] {
    const key = outputs.join('\u0000');
    const cached = this.plans.get(key);
    if (cached) return cached;
    const needed = new Set<number>();
    const visit = (name: string) => {
      const i = this.producer.get(name);
      if (i === undefined || needed.has(i)) return;
      needed.add(i);
      this.steps[i]!.inputs.forEach((n) => n && visit(n));
    };
    for (const o of outputs) {
      if (!this.producer.has(o) && !this.lookupStatic(o) && !this.inputs.some((i) => i.name === o)) throw new UserInputError(`graph has no value named '${o}'`);
      visit(o);
    }
    const plan = [...needed].sort((a, b) => a - b).map((i) => this.steps[i]!);
    this.plans.set(key, plan);
    return plan;
  }

  private lookupStatic(name: string): tf.Tensor | undefined {
    return this.variables.get(name) ?? this.state.get(name) ?? this.constantTensors.get(name);
  }

  /** Tensors that outlive a run: feeds (the caller's) and the executor's weights and constants. */
  private isHeld(t: tf.Tensor, feeds: TensorMap): boolean {
    const held = [...Object.values(feeds), ...this.variables.values(), ...this.state.values(), ...this.constantTensors.values()];
    return held.includes(t as tf.Variable);
  }

  private checkFeeds(feeds: TensorMap): void {
    for (const input of this.inputs) {
      const t = feeds[input.name];
      if (!t) throw new UserInputError(`missing input '${input.name}' (shape [${input.shape.join(', ')}])`);
      const fits = t.rank === input.shape.length && input.shape.every((d, i) => typeof d !== 'number' || d === t.shape[i]);
      if (!fits) throw new UserInputError(`input '${input.name}' has shape [${t.shape.join(', ')}], the model expects [${input.shape.join(', ')}]`);
    }
  }

  /**
   * One forward pass. Feeds and results are in ONNX layout; the caller owns
   * (and disposes) the returned tensors. In training mode the BN running
   * statistics are updated before this returns.
   */
  run(feeds: TensorMap, opts: RunOptions = {}): TensorMap {
    if (this.disposed) throw new Error('executor is disposed');
    this.checkFeeds(feeds);
    const outputs = opts.outputs ?? this.outputNames;
    const plan = this.plan(outputs);
    const updates: [string, tf.Tensor][] = [];
    const ctx: RunContext = {
      training: opts.training ?? false,
      uniform: (n) => this.masks.uniform(n),
      updateState: (name, value) => updates.push([name, value]),
    };
    return tf.tidy(() => {
      const env = new Map<string, Value>();
      const get = (name: string): Value | undefined => {
        if (!name) return undefined;
        const v = env.get(name);
        if (v) return v;
        const t = feeds[name] ?? this.lookupStatic(name);
        return t ? onnxValue(t) : undefined;
      };
      for (const step of plan) {
        const results = step.kernel(step.inputs.map(get), ctx);
        step.outputs.forEach((o, i) => o && results[i] && env.set(o, results[i]!));
      }
      for (const [name, value] of updates) this.state.get(name)?.assign(value);
      return Object.fromEntries(
        outputs.map((o) => {
          const t = toOnnx(get(o)!);
          // A feed or weight passed straight through is cloned: the caller disposes what run returns.
          return [o, this.isHeld(t, feeds) ? tf.clone(t) : t];
        }),
      );
    });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.variables.values()];
  }

  /** Copies of the current trainable and state values. */
  snapshot(): WeightSnapshot {
    const snap: WeightSnapshot = new Map();
    for (const [name, v] of [...this.variables, ...this.state]) snap.set(name, (v.dataSync() as Float32Array).slice());
    return snap;
  }

  restore(snap: WeightSnapshot): void {
    for (const [name, values] of snap) {
      const v = this.variables.get(name) ?? this.state.get(name);
      if (v) tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    }
  }

  /** The model with the current (or snapshot) weights in its initializers; nothing else changes. */
  writeBack(snap: WeightSnapshot = this.snapshot()): onnx.ModelProto {
    return writeInitializers(this.model, snap);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of [...this.variables.values(), ...this.state.values(), ...this.constantTensors.values()]) t.dispose();
  }
}
