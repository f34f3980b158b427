import type { onnx } from '../proto.js';
import { entries, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

/** What both branches agree on: same type, same rank, dims equal where both know them. */
function merge(a: TensorInfo | undefined, b: TensorInfo | undefined): TensorInfo | undefined {
  if (!a || !b) return undefined;
  const elemType = a.elemType === b.elemType ? a.elemType : 0;
  if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return { elemType };
  const shape = a.shape.map((d, i) => (d === b.shape![i] ? d : null));
  const value = a.value && b.value && a.value.join() === b.value.join() ? a.value : undefined;
  return { elemType, shape, value };
}

/**
 * If. A known condition: only the taken branch is inferred (the other may not
 * even be consistent for these shapes, and never runs). An unknown one: both
 * are; a branch whose shapes contradict themselves cannot be the one taken,
 * so the other decides; otherwise the result is what both agree on.
 */
function ifOp(ctx: ShapeContext): (TensorInfo | undefined)[] {
  const graph = (name: string): onnx.IGraphProto => {
    const g = ctx.node.attribute?.find((a) => a.name === name)?.g;
    return g ?? ctx.fail(`attribute '${name}' (a graph) is missing`);
  };
  const count = ctx.node.output?.length ?? 0;
  const checked = (name: string, out: (TensorInfo | undefined)[] | undefined) => {
    if (out && out.length !== count) ctx.fail(`${name} gives ${out.length} outputs, the node has ${count}`);
    return out;
  };
  const cond = ctx.input(0)?.value?.[0];
  if (cond !== undefined) {
    const name = cond ? 'then_branch' : 'else_branch';
    return checked(name, ctx.inferSubgraph(graph(name), name))!;
  }
  const thenOut = checked('then_branch', ctx.inferSubgraph(graph('then_branch'), 'then_branch', true));
  const elseOut = checked('else_branch', ctx.inferSubgraph(graph('else_branch'), 'else_branch', true));
  if (!thenOut && !elseOut) return ctx.inferSubgraph(graph('then_branch'), 'then_branch')!; // rethrows the then-branch's error
  if (!thenOut || !elseOut) return (thenOut ?? elseOut)!;
  return thenOut.map((t, i) => merge(t, elseOut[i]));
}

export const controlShapes: ShapeEntry[] = entries(['If'], ifOp);
