import { normalizeDomain, shapeRegistry } from './shapes/index.js';

/** Operator domains edgefit accepts ('' and 'ai.onnx' are the same default domain). */
export const KNOWN_DOMAINS: readonly string[] = ['', 'ai.onnx', 'com.microsoft', 'ai.onnx.ml'];

/**
 * Ops accepted beyond those with a shape function: common, side-effect-free
 * ops that onnxruntime runs and that allocate no more than their inputs
 * suggest. Anything else (sequence/map ops, random generators, custom
 * contrib ops) is refused by name.
 */
const EXTRA_OPS: Readonly<Record<string, readonly string[]>> = {
  '': ['Loop', 'Scan', 'GatherND', 'ScatterND', 'ScatterElements', 'DepthToSpace', 'SpaceToDepth', 'OneHot', 'Trilu', 'IsNaN', 'IsInf', 'Einsum', 'CastLike'],
  'com.microsoft': ['FusedConv', 'FusedGemm', 'FusedMatMul', 'QuickGelu', 'BiasGelu', 'FastGelu', 'SkipLayerNormalization', 'DynamicQuantizeMatMul', 'QLinearAdd', 'QLinearMul', 'QLinearSigmoid', 'QLinearGlobalAveragePool', 'QLinearConcat'],
  'ai.onnx.ml': ['Scaler', 'Normalizer', 'Binarizer', 'ArrayFeatureExtractor'],
};

function buildAllowlist(): ReadonlyMap<string, ReadonlySet<string>> {
  const map = new Map<string, Set<string>>();
  const add = (domain: string, op: string) => {
    const d = normalizeDomain(domain);
    if (!map.has(d)) map.set(d, new Set());
    map.get(d)!.add(op);
  };
  for (const { op, domain } of shapeRegistry.ops()) add(domain, op);
  for (const [domain, ops] of Object.entries(EXTRA_OPS)) for (const op of ops) add(domain, op);
  return map;
}

/** Allowed ops by (normalized) domain: every op with a shape function plus EXTRA_OPS. */
export const OPERATOR_ALLOWLIST = buildAllowlist();

export function isKnownDomain(domain: string | null | undefined): boolean {
  return KNOWN_DOMAINS.includes(domain ?? '');
}

export function isAllowedOp(op: string, domain: string | null | undefined): boolean {
  return OPERATOR_ALLOWLIST.get(normalizeDomain(domain))?.has(op) ?? false;
}
