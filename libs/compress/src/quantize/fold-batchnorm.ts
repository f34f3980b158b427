import { DataType, GraphView, attrFloat, attrInt, floatTensor, tensorDims, tensorToFloat32, type onnx } from '@edgefit/onnx';

function floatInit(view: GraphView, name: string | undefined): Float32Array | undefined {
  const t = name ? view.initializer(name) : undefined;
  return t && t.dataType === DataType.FLOAT ? tensorToFloat32(t) : undefined;
}

/** Replace a float initializer's values in place (raw data only, as floatTensor writes them). */
function setFloats(t: onnx.ITensorProto, values: Float32Array): void {
  t.rawData = floatTensor('', tensorDims(t), values).rawData;
  t.floatData = [];
}

/**
 * Fold inference-mode BatchNormalization into the Conv before it:
 * W'[c] = W[c] · γc / √(σ²c + ε), b'[c] = (b[c] − μc) · γc / √(σ²c + ε) + βc.
 * Exact in inference, and what integer deployment does anyway: the weight
 * that gets quantized is the one the hardware multiplies with, and the
 * Conv's output can be requantized directly (no float BN between integer
 * layers). Edits `model` in place (callers pass their own copy); returns the
 * folded BN node names.
 */
export function foldBatchNorms(model: onnx.IModelProto): string[] {
  const view = new GraphView(model.graph!);
  const folded: string[] = [];
  for (const bn of [...view.nodes]) {
    if (bn.opType !== 'BatchNormalization' || (bn.domain ?? '') !== '' || (bn.output ?? []).filter(Boolean).length !== 1 || attrInt(bn, 'training_mode', 0)) continue;
    const conv = view.producer(bn.input?.[0] ?? '');
    if (!conv || conv.opType !== 'Conv' || (conv.domain ?? '') !== '') continue;
    const y = conv.output![0]!;
    if (view.consumers(y).length !== 1 || view.isGraphOutput(y)) continue;
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => floatInit(view, bn.input?.[i]));
    const wInit = view.initializer(conv.input?.[1] ?? '');
    const w = floatInit(view, wInit?.name ?? undefined);
    if (!gamma || !beta || !mean || !variance || !w || !wInit || view.consumers(wInit.name!).length !== 1) continue;
    const biasName = conv.input?.[2];
    if (biasName && (!floatInit(view, biasName) || view.consumers(biasName).length !== 1)) continue;
    const c = gamma.length;
    const eps = attrFloat(bn, 'epsilon', 1e-5);
    const factor = Float32Array.from(gamma, (g, i) => g / Math.sqrt(variance[i]! + eps));
    const inner = w.length / c;
    const newW = w.map((v, i) => v * factor[Math.floor(i / inner)]!);
    const oldB = biasName ? floatInit(view, biasName)! : new Float32Array(c);
    const newB = Float32Array.from(oldB, (b, i) => (b - mean[i]!) * factor[i]! + beta[i]!);
    const bName = biasName ?? `${conv.name || y}.bias`;
    if (!biasName && (view.initializer(bName) || view.producer(bName))) continue;
    // The weight keeps its name (QAT maps trained values back by name); a missing bias gets a new initializer.
    setFloats(wInit, newW);
    if (biasName) setFloats(view.initializer(biasName)!, newB);
    else view.addInitializer(floatTensor(bName, [c], newB));
    conv.input = [conv.input![0]!, wInit.name!, bName];
    // Readers of the BN output now read the Conv output (or the Conv takes the BN's name if it is a graph output).
    view.removeNode(bn);
    folded.push(bn.name || bn.output![0]!);
  }
  return folded;
}
