import { encodeModel, type onnx } from '@edgefit/onnx';
import { emitBytes, type Assignment } from './emit.js';
import type { LatencyProbe } from '../pass.js';
import type { EmitForm, LayerPlan } from './plan.js';

/** A change must be this much faster to count: measurements on a shared host are noisy. */
const GAIN = 0.97;
/** Per-layer refinement looks at this many layers at most (the largest weights first). */
const MAX_REFINED_LAYERS = 16;

/** The measurements `form: auto` decided from (kept in the pass report). */
export interface AutoDecision {
  /** Median ms of the float model. */
  fp32Ms: number;
  /** Median ms of the model with every layer in one form (where the form runs it). */
  uniformMs: Partial<Record<EmitForm, number>>;
  /** Per layer: latency of the model with only this layer switched to a form, relative to the best uniform model. */
  layerRatios: Record<string, Partial<Record<EmitForm, number>>>;
  /** Median ms of the chosen model, measured against fp32 in the same round. */
  chosenMs: number;
  /** True when no integer form beat fp32, so every layer kept float kernels (weight-only). */
  fellBack: boolean;
  measurements: number;
}

const uniform = (plans: readonly LayerPlan[], candidates: ReadonlyMap<string, readonly EmitForm[]>, f: EmitForm): Map<string, EmitForm> =>
  new Map(plans.map((p) => [p.layer.name, candidates.get(p.layer.name)!.includes(f) ? f : 'weight-only']));

/**
 * Choose each layer's form from host measurements. Per-layer timing of
 * layers in isolation misses the conversions between neighbours, so whole
 * models are measured: (1) fp32 and one model per form, every layer in that
 * form where it runs; (2) starting from the fastest, each layer switched to
 * each of its other candidates, measured side by side with it; the switches that gain
 * are combined; (3) the result is measured against fp32 once more, and if it
 * is not faster, every layer falls back to weight-only (the float model's
 * own kernels), so auto never returns a model slower than fp32.
 */
export async function chooseForms(
  base: onnx.IModelProto,
  plans: readonly LayerPlan[],
  candidates: ReadonlyMap<string, readonly EmitForm[]>,
  probe: LatencyProbe,
  log: (m: string) => void = () => {},
): Promise<{ assignment: Assignment; decision: AutoDecision }> {
  let measurements = 0;
  const measure = async (models: Uint8Array[]) => {
    measurements += models.length;
    return probe(models);
  };
  const built = new Map<string, Uint8Array>();
  const bytes = (a: Assignment) => {
    const key = plans.map((p) => a.get(p.layer.name)).join(',');
    let b = built.get(key);
    if (!b) built.set(key, (b = emitBytes(base, plans, a)));
    return b;
  };
  const fp32 = encodeModel(base);
  const forms = [...new Set(plans.flatMap((p) => candidates.get(p.layer.name)!))];
  const fallback = uniform(plans, candidates, 'weight-only');
  const uniforms = forms.map((f) => uniform(plans, candidates, f));
  const [fp32Ms, ...uniformTimes] = await measure([fp32, ...uniforms.map((a) => bytes(a))]);
  const uniformMs = Object.fromEntries(forms.map((f, i) => [f, uniformTimes[i]!]));
  log(`auto: fp32 ${fp32Ms!.toFixed(3)} ms; ${forms.map((f, i) => `${f} ${uniformTimes[i]!.toFixed(3)} ms`).join(', ')}`);
  const best = uniformTimes.indexOf(Math.min(...uniformTimes));
  const start = uniforms[best]!;

  const layerRatios: AutoDecision['layerRatios'] = {};
  const combined = new Map(start);
  if (plans.length > 1) {
    const bySize = [...plans].sort((a, b) => b.layer.weight.length - a.layer.weight.length).slice(0, MAX_REFINED_LAYERS);
    for (const p of bySize) {
      const others = candidates.get(p.layer.name)!.filter((c) => c !== start.get(p.layer.name));
      if (others.length === 0) continue;
      // The layer's alternatives and the starting point, measured side by side in one round.
      const [tStart, ...tVariants] = await measure([bytes(start), ...others.map((f) => bytes(new Map(start).set(p.layer.name, f)))]);
      const ratios: Partial<Record<EmitForm, number>> = Object.fromEntries(others.map((f, i) => [f, tVariants[i]! / tStart!]));
      layerRatios[p.layer.name] = ratios;
      const [f, r] = Object.entries(ratios).reduce((a, b) => (b[1]! < a[1]! ? b : a), ['', Infinity] as [string, number | undefined]);
      if (r! < GAIN) combined.set(p.layer.name, f as EmitForm);
    }
  }

  const finalists = [start, ...(sameAssignment(combined, start) ? [] : [combined])];
  const [fp32Again, fallbackMs, ...finalTimes] = await measure([fp32, bytes(fallback), ...finalists.map((a) => bytes(a))]);
  const k = finalTimes.indexOf(Math.min(...finalTimes));
  const fellBack = !(finalTimes[k]! < fp32Again! * 0.99);
  const chosenMs = fellBack ? fallbackMs! : finalTimes[k]!;
  log(`auto: chosen ${chosenMs.toFixed(3)} ms vs fp32 ${fp32Again!.toFixed(3)} ms${fellBack ? ' (no integer form was faster: float kernels on quantized weights)' : ''}`);
  return {
    assignment: fellBack ? fallback : finalists[k]!,
    decision: { fp32Ms: fp32Again!, uniformMs, layerRatios, chosenMs, fellBack, measurements },
  };
}

function sameAssignment(a: Assignment, b: Assignment): boolean {
  return [...a].every(([k, v]) => b.get(k) === v);
}
