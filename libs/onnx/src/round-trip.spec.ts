import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allGraphs, decodeModel, encodeModel, listWeights, loadModel, onnx, saveModel, tensorData } from '@edgefit/onnx';
import { buildIfModel, buildLenet5, buildMlp } from '../test-fixtures/models.js';
import { VAD_MODELS } from '../test-fixtures/vad.js';
import { floatInput, ort, runModel, snapshot } from '../test-fixtures/ort.js';

const dir = mkdtempSync(join(tmpdir(), 'edgefit-onnx-rt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Load → save to a real file → load again. */
function roundTrip(bytes: Uint8Array, name: string): { before: onnx.ModelProto; after: onnx.ModelProto; saved: Uint8Array } {
  const before = decodeModel(bytes, name);
  const saved = saveModel(before, join(dir, `${name}.onnx`));
  return { before, after: loadModel(join(dir, `${name}.onnx`)), saved };
}

const asObject = (m: onnx.ModelProto) => onnx.ModelProto.toObject(m, { longs: String, bytes: String, defaults: false });
const payload = (t: onnx.ITensorProto) => ({ raw: Buffer.from(t.rawData ?? []).toString('hex'), floats: [...(t.floatData ?? [])], ints: [...(t.int32Data ?? [])], int64s: (t.int64Data ?? []).map(String) });

/** Every node, attribute and tensor of both models is identical. */
function expectIdentical(before: onnx.ModelProto, after: onnx.ModelProto): void {
  expect(asObject(after)).toEqual(asObject(before));
  const nodes = (m: onnx.ModelProto) => allGraphs(m).flatMap((g) => g.graph.node!.map((n) => onnx.NodeProto.toObject(n as onnx.NodeProto, { longs: String, bytes: String })));
  expect(nodes(after)).toEqual(nodes(before));
  const [wa, wb] = [listWeights(before), listWeights(after)];
  expect(wb.map((w) => [w.name, w.source, w.where])).toEqual(wa.map((w) => [w.name, w.source, w.where]));
  wa.forEach((w, i) => {
    expect(payload(wb[i]!.tensor)).toEqual(payload(w.tensor));
    const [x, y] = [tensorData(w.tensor), tensorData(wb[i]!.tensor)];
    expect(Buffer.from(y.buffer, y.byteOffset, y.byteLength).equals(Buffer.from(x.buffer, x.byteOffset, x.byteLength))).toBe(true);
  });
}

describe('round trip of ModelBuilder models', () => {
  const models: [string, () => onnx.ModelProto, () => Record<string, ort.Tensor>][] = [
    ['mlp', buildMlp, () => ({ input: floatInput([3, 1, 28, 28]) })],
    ['lenet5', buildLenet5, () => ({ input: floatInput([2, 1, 28, 28]) })],
    ['if_model', buildIfModel, () => ({ x: floatInput([2, 3]), cond: new ort.Tensor('bool', [false], []), cond2: new ort.Tensor('bool', [true], []) })],
  ];
  it.each(models)('%s: identical nodes, attributes, tensors and onnxruntime outputs', async (name, build, feeds) => {
    const original = encodeModel(build());
    const { before, after, saved } = roundTrip(original, name);
    expectIdentical(before, after);
    expect(Buffer.from(saved).equals(Buffer.from(original))).toBe(true);
    expect(snapshot(await runModel(saved, feeds()))).toEqual(snapshot(await runModel(original, feeds())));
  });
});

describe('round trip of the Silero VAD models from @ricky0123/vad-web', () => {
  it('ships at least the legacy and v5 models', () => {
    expect(VAD_MODELS.map((m) => m.name)).toEqual(expect.arrayContaining(['silero_vad_legacy', 'silero_vad_v5']));
  });

  it.each(VAD_MODELS.map((m) => [m.name, m] as const))('%s: identical graphs and tensors; re-saving is byte-stable', (name, vad) => {
    const { before, after, saved } = roundTrip(vad.bytes, name);
    expectIdentical(before, after);
    // The first save may encode repeated fields differently from the exporter; from then on bytes are stable.
    expect(Buffer.from(encodeModel(after)).equals(Buffer.from(saved))).toBe(true);
  });

  it.each(VAD_MODELS.map((m) => [m.name, m] as const))('%s: onnxruntime outputs are exactly the same at 16 kHz and 8 kHz', async (name, vad) => {
    const { saved } = roundTrip(vad.bytes, `${name}-ort`);
    for (const rate of [16000, 8000] as const) {
      const original = snapshot(await runModel(vad.bytes, vad.feeds(rate)));
      const reencoded = snapshot(await runModel(saved, vad.feeds(rate)));
      expect(reencoded).toEqual(original);
      expect(original.output!.dims).toEqual([1, 1]);
      const p = original.output!.data[0] as number;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });
});
