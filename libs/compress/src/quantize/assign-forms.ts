import { UserInputError } from '@edgefit/core';
import type { onnx } from '@edgefit/onnx';
import { layerParam, type ResolvedParams } from '../param-schema.js';
import { chooseForms, type AutoDecision } from './auto-form.js';
import { formBlocker, type Assignment } from './emit.js';
import { KERNEL_FORMS } from './forms/index.js';
import type { LatencyProbe } from '../pass.js';
import type { EmitForm, Form, LayerPlan } from './plan.js';

export interface FormChoice {
  assignment: Assignment;
  auto?: AutoDecision;
  notes: string[];
}

/**
 * The form of every layer: an explicit form where it runs the layer (else
 * simulated execution, with the reason in the notes); `auto` layers get
 * their candidates (the kernel forms that run them, and weight-only) and are
 * decided by measurement.
 */
export async function assignForms(
  pass: string,
  model: onnx.IModelProto,
  plans: readonly LayerPlan[],
  params: ResolvedParams,
  probe: () => LatencyProbe,
  log: (m: string) => void,
): Promise<FormChoice> {
  const notes: string[] = [];
  const candidates = new Map<string, EmitForm[]>();
  for (const p of plans) {
    const asked = layerParam<string>(params, 'form', p.layer.name) as Form | 'auto';
    if (asked === 'auto') {
      candidates.set(p.layer.name, [...KERNEL_FORMS.filter((f) => !formBlocker(model, p, f)), 'weight-only']);
      continue;
    }
    const blocked = formBlocker(model, p, asked);
    if (!blocked) {
      candidates.set(p.layer.name, [asked]);
      continue;
    }
    const simBlocked = formBlocker(model, p, 'simulated');
    if (simBlocked) throw new UserInputError(`pass '${pass}': parameter 'activationBits' cannot be met for layer '${p.layer.name}': ${simBlocked}`);
    if (asked !== 'simulated') notes.push(`layer '${p.layer.name}': form ${asked} cannot run it (${blocked}); simulated execution instead`);
    candidates.set(p.layer.name, ['simulated']);
  }
  if ([...candidates.values()].every((c) => c.length === 1)) return { assignment: new Map([...candidates].map(([k, v]) => [k, v[0]!])), notes };
  const { assignment, decision } = await chooseForms(model, plans, candidates, probe(), log);
  const counts = new Map<EmitForm, number>();
  for (const f of assignment.values()) counts.set(f, (counts.get(f) ?? 0) + 1);
  notes.push(
    `auto: ${[...counts].map(([f, n]) => `${n}× ${f}`).join(', ')}; measured ${decision.chosenMs.toFixed(3)} ms vs fp32 ${decision.fp32Ms.toFixed(3)} ms` +
      (decision.fellBack ? ' (no integer form was faster on this host)' : ''),
  );
  return { assignment, auto: decision, notes };
}
