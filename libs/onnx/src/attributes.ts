import { onnx, int64 } from './proto.js';

type AttrValue = number | string | number[] | string[] | onnx.ITensorProto | onnx.IGraphProto;

/** Read an attribute of a node by name with a typed default. */
export function getAttr(node: onnx.INodeProto, name: string): AttrValue | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return undefined;
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT: return int64(a.i as number);
    case T.FLOAT: return a.f ?? 0;
    case T.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.INTS: return (a.ints ?? []).map((v) => int64(v as number));
    case T.FLOATS: return [...(a.floats ?? [])];
    case T.STRINGS: return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    case T.TENSOR: return a.t ?? undefined;
    case T.GRAPH: return a.g ?? undefined;
    default: return undefined;
  }
}

export function attrInt(node: onnx.INodeProto, name: string, fallback: number): number {
  const v = getAttr(node, name);
  return typeof v === 'number' ? v : fallback;
}

export function attrFloat(node: onnx.INodeProto, name: string, fallback: number): number {
  const v = getAttr(node, name);
  return typeof v === 'number' ? v : fallback;
}

export function attrInts(node: onnx.INodeProto, name: string, fallback: number[]): number[] {
  const v = getAttr(node, name);
  return Array.isArray(v) ? (v as number[]) : fallback;
}

export function attrString(node: onnx.INodeProto, name: string, fallback: string): string {
  const v = getAttr(node, name);
  return typeof v === 'string' ? v : fallback;
}

/** Build an AttributeProto from a JS value; integers vs floats are explicit. */
export function makeAttr(name: string, value: AttrValue, kind?: 'int' | 'float' | 'ints' | 'floats'): onnx.AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value) });
  if (typeof value === 'number') {
    const asInt = kind ? kind === 'int' : Number.isInteger(value);
    return asInt ? onnx.AttributeProto.create({ name, type: T.INT, i: value }) : onnx.AttributeProto.create({ name, type: T.FLOAT, f: value });
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === 'string') {
      return onnx.AttributeProto.create({ name, type: T.STRINGS, strings: (value as string[]).map((s) => new TextEncoder().encode(s)) });
    }
    const asInts = kind ? kind === 'ints' : (value as number[]).every(Number.isInteger);
    return asInts
      ? onnx.AttributeProto.create({ name, type: T.INTS, ints: value as number[] })
      : onnx.AttributeProto.create({ name, type: T.FLOATS, floats: value as number[] });
  }
  if ('node' in value) return onnx.AttributeProto.create({ name, type: T.GRAPH, g: value as onnx.IGraphProto });
  return onnx.AttributeProto.create({ name, type: T.TENSOR, t: value as onnx.ITensorProto });
}
