import type { ActivationInput, ModelFacts } from './layer-facts.js';
import type { LayerPlan } from './layer-plan.js';

/**
 * Peak bytes of live activations as the device's stack runs the model: like
 * analyzeCost's peak, but tensors kept quantized by the stack count at their
 * quantized width, and nodes the stack turns into aliases (Reshape, Flatten,
 * folded Q/DQ) allocate nothing — their output shares their input's buffer.
 * Activations fused into the preceding Conv/Gemm write into its buffer.
 * A value lives from its producer to its last reader; graph outputs to the end.
 */
export function deployedPeakActivationBytes(facts: ModelFacts, plans: readonly LayerPlan[], quantized: boolean): number {
  const bytesOf = (v: { elements: number; bytes: number; quantBits: number | null }) =>
    quantized && v.quantBits !== null ? Math.ceil((v.elements * v.quantBits) / 8) : v.bytes;
  const root = new Map<string, string>();
  const rootOf = (name: string): string => {
    let r = name;
    while (root.has(r) && root.get(r) !== r) r = root.get(r)!;
    return r;
  };
  const size = new Map<string, number>();
  const lastUse = new Map<string, number>();
  const born = new Map<string, number>();
  for (const input of facts.graphInputs) {
    size.set(input.name, bytesOf(input));
    born.set(input.name, -1);
  }
  const n = facts.layers.length;
  plans.forEach((plan, i) => {
    const f = plan.facts;
    for (const input of f.inputs) lastUse.set(rootOf(input.name), i);
    const folded = plan.kind === 'free' || plan.kind === 'absorbed' || plan.kind === 'fused';
    if (folded && f.inputs.length === 0) return; // a folded DequantizeLinear of a weight: its output is a weight, not an activation
    const alias = folded && f.inputs[0];
    for (const o of f.outputs) {
      if (alias) {
        root.set(o, rootOf(f.inputs[0]!.name));
        continue;
      }
      const out: ActivationInput = { name: o, elements: f.outputElements, bytes: f.outputBytes, quantBits: f.outputQuantBits };
      size.set(o, bytesOf(out));
      born.set(o, i);
    }
  });
  for (const out of facts.graphOutputs) lastUse.set(rootOf(out.name), n);
  let peak = 0;
  for (let step = -1; step < n; step++) {
    let live = 0;
    for (const [name, bytes] of size) {
      const from = born.get(name)!;
      const to = lastUse.get(name) ?? from;
      if (from <= step && step <= to) live += bytes;
    }
    peak = Math.max(peak, live);
  }
  return peak;
}
