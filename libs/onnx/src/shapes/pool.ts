import { attrInts } from '../attributes.js';
import { DataType } from '../proto.js';
import { fmtShape, like, windowOutput, windowParams } from './dims.js';
import { entries, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

function poolOutput(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [like(x), like(x, DataType.INT64)];
  if (x.shape.length < 3) ctx.fail(`input ${fmtShape(x.shape)} must be rank 3 or more (N, C, spatial…)`);
  const kernel = attrInts(ctx.node, 'kernel_shape', []);
  if (kernel.length !== x.shape.length - 2) ctx.fail(`kernel_shape [${kernel}] does not match the ${x.shape.length - 2} spatial dims of input ${fmtShape(x.shape)}`);
  const out = windowOutput(ctx, x.shape.slice(2), windowParams(ctx, kernel));
  const shape = [x.shape[0]!, x.shape[1]!, ...out];
  // MaxPool's optional second output holds int64 indices of the same shape.
  return [{ elemType: x.elemType, shape }, { elemType: DataType.INT64, shape }];
}

function globalPoolOutput(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [like(x)];
  if (x.shape.length < 3) ctx.fail(`input ${fmtShape(x.shape)} must be rank 3 or more (N, C, spatial…)`);
  return [{ elemType: x.elemType, shape: [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map(() => 1)] }];
}

export const poolShapes: ShapeEntry[] = [
  ...entries(['MaxPool', 'AveragePool', 'LpPool'], poolOutput),
  ...entries(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'], globalPoolOutput),
];
