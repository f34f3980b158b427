import { attrInt } from '../attributes.js';
import { DataType } from '../proto.js';
import { like } from './dims.js';
import { entries, type ShapeEntry } from './types.js';

export const quantizeShapes: ShapeEntry[] = [
  // The zero point's type is the quantized type; without one, output_dtype (opset 21) or uint8.
  ...entries(['QuantizeLinear'], (ctx) => [{ ...like(ctx.input(0), ctx.input(2)?.elemType || attrInt(ctx.node, 'output_dtype', 0) || DataType.UINT8), value: undefined }]),
  ...entries(['DequantizeLinear'], (ctx) => [{ ...like(ctx.input(0), ctx.input(1)?.elemType || DataType.FLOAT), value: undefined }]),
  ...entries(['DynamicQuantizeLinear'], (ctx) => [
    { ...like(ctx.input(0), DataType.UINT8), value: undefined },
    { elemType: DataType.FLOAT, shape: [] },
    { elemType: DataType.UINT8, shape: [] },
  ]),
];
