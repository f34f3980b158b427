import type { EmitForm } from '../plan.js';
import { dynamicForm } from './dynamic.js';
import type { FormEmitter } from './form.js';
import { matmulNBitsForm } from './matmulnbits.js';
import { qdqForm } from './qdq.js';
import { qoperatorForm } from './qoperator.js';
import { simulatedForm, weightOnlyForm } from './simulated.js';

export type { EmitResult, FormEmitter } from './form.js';
export { blockQuantize, type BlockQuantized } from './matmulnbits.js';

/** Every operator form, by name. */
export const EMITTERS: Readonly<Record<EmitForm, FormEmitter>> = {
  qdq: qdqForm,
  qoperator: qoperatorForm,
  dynamic: dynamicForm,
  matmulnbits: matmulNBitsForm,
  simulated: simulatedForm,
  'weight-only': weightOnlyForm,
};

/** Forms that run on onnxruntime integer (or 4-bit) kernels, i.e. everything but simulated execution. */
export const KERNEL_FORMS: readonly EmitForm[] = ['dynamic', 'qoperator', 'qdq', 'matmulnbits'];
