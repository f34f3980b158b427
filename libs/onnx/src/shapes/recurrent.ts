import { attrInt, attrString } from '../attributes.js';
import { fmtShape } from './dims.js';
import { entries, type Dim, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

/** Gates per cell: the weight W is [directions, gates·hidden, input]. */
export const RECURRENT_GATES: Readonly<Record<string, number>> = { LSTM: 4, GRU: 3, RNN: 1 };

/** Sequence length, batch, input size, directions and hidden size of an LSTM/GRU/RNN node. */
export function recurrentDims(ctx: ShapeContext): { seq: Dim; batch: Dim; input: Dim; dirs: number; hidden: Dim } | undefined {
  const x = ctx.input(0);
  const w = ctx.input(1);
  const gates = RECURRENT_GATES[ctx.node.opType ?? '']!;
  const dirs = attrString(ctx.node, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  const fromW = w?.shape?.[1] == null ? null : w.shape[1] / gates;
  const hidden = attrInt(ctx.node, 'hidden_size', 0) || fromW;
  if (fromW !== null && hidden !== fromW) ctx.fail(`hidden_size ${hidden} does not match weight ${fmtShape(w?.shape)} (${gates} gates)`);
  if (w?.shape && w.shape[0] !== null && w.shape[0] !== dirs) ctx.fail(`weight ${fmtShape(w.shape)} is for ${w.shape[0]} directions, the node runs ${dirs}`);
  if (!x?.shape) return undefined;
  if (x.shape.length !== 3) ctx.fail(`input ${fmtShape(x.shape)} must be 3-D`);
  const batchFirst = attrInt(ctx.node, 'layout', 0) === 1;
  const [seq, batch] = batchFirst ? [x.shape[1]!, x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
  const input = x.shape[2]!;
  if (input !== null && w?.shape?.[2] != null && w.shape[2] !== input) ctx.fail(`input ${fmtShape(x.shape)} has ${input} features, weight ${fmtShape(w.shape)} expects ${w.shape[2]}`);
  return { seq, batch, input, dirs, hidden };
}

function recurrent(ctx: ShapeContext): TensorInfo[] {
  const elemType = ctx.input(0)?.elemType ?? 0;
  const d = recurrentDims(ctx);
  const count = ctx.node.opType === 'LSTM' ? 3 : 2;
  if (!d) return new Array(count).fill({ elemType });
  const batchFirst = attrInt(ctx.node, 'layout', 0) === 1;
  const y = batchFirst ? [d.batch, d.seq, d.dirs, d.hidden] : [d.seq, d.dirs, d.batch, d.hidden];
  const state = batchFirst ? [d.batch, d.dirs, d.hidden] : [d.dirs, d.batch, d.hidden];
  return [{ elemType, shape: y }, ...new Array(count - 1).fill(0).map(() => ({ elemType, shape: [...state] }))];
}

export const recurrentShapes: ShapeEntry[] = entries(['LSTM', 'GRU', 'RNN'], recurrent);
