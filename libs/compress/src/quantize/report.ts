import type { LayerReport, PassReport } from '../pass.js';
import type { ResolvedParams } from '../param-schema.js';
import type { AutoDecision } from './auto-form.js';
import type { EmittedLayer } from './emit.js';
import { mse } from './numerics.js';

export interface QuantizeReport extends PassReport {
  /** The measurements `form: auto` decided from, when it measured. */
  auto?: AutoDecision;
}

/** Bytes of the weight at its bit width plus one float32 scale (and an 8-bit zero point when asymmetric) per group. */
function packedBytes(e: EmittedLayer): number {
  const p = e.plan;
  const groups = e.marker.granularity === 'block' ? Math.ceil(p.layer.weight.length / p.blockSize) : p.weight.params.scale.length;
  return Math.ceil((p.layer.weight.length * p.bits) / 8) + groups * (4 + (p.symmetric ? 0 : 1));
}

function layerEntry(e: EmittedLayer): LayerReport {
  const p = e.plan;
  const energy = mse(p.layer.weight, new Float32Array(p.layer.weight.length));
  return {
    layer: p.layer.name,
    op: p.layer.op,
    form: e.form,
    wBits: e.marker.wBits,
    aBits: e.marker.aBits,
    scheme: e.marker.scheme,
    granularity: e.marker.granularity,
    simulated: e.marker.form === 'simulated',
    params: p.layer.weight.length,
    packedWeightBytes: packedBytes(e),
    // Error of the per-channel/tensor grid; MatMulNBits re-quantizes per block (finer).
    weightRelativeMse: energy > 0 ? mse(p.layer.weight, p.weight.dequantized) / energy : 0,
  };
}

export function quantizeReport(pass: string, params: ResolvedParams, layers: EmittedLayer[], notes: string[], auto?: AutoDecision): QuantizeReport {
  const simulated = layers.filter((e) => e.marker.form === 'simulated');
  const allNotes = [...notes];
  if (simulated.length > 0) {
    allNotes.push(
      `simulated execution: ${simulated.map((e) => `${e.plan.layer.name} (${e.plan.bits}-bit)`).join(', ')} run float kernels on dequantized weights that take exactly the quantized values; size counts the packed bits`,
    );
  }
  return {
    pass,
    params,
    layers: layers.map(layerEntry),
    simulated: simulated.map((e) => e.plan.layer.name),
    notes: allNotes,
    ...(auto ? { auto } : {}),
  };
}
