import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRng } from '@edgefit/core';
import { ModelBuilder, encodeModel, floatTensor, int64Tensor, onnx } from '@edgefit/onnx';

/**
 * Hostile and broken model files, written to a temp dir: every command must
 * answer each with one line on stderr and exit code 2.
 */
export function writeBadModels(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'edgefit-bad-'));
  const files: Record<string, Uint8Array> = {};
  files['empty.onnx'] = new Uint8Array();
  const rng = new SeededRng(99);
  files['random.onnx'] = Uint8Array.from({ length: 4096 }, () => rng.int(0, 255));

  const good = new ModelBuilder('mlp');
  good.input('input', ['N', 4]);
  good.initializer(floatTensor('W', [4, 3], new Float32Array(12).fill(0.5)));
  good.node('MatMul', ['input', 'W'], ['out']);
  good.output('out', ['N', 3]);
  const goodBytes = encodeModel(good.build());
  files['truncated.onnx'] = goodBytes.slice(0, Math.floor(goodBytes.length * 0.6));

  const ext = good.build();
  const w = ext.graph!.initializer![0]!;
  w.rawData = new Uint8Array();
  w.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  w.externalData = [onnx.StringStringEntryProto.create({ key: 'location', value: '../../etc/passwd' })];
  files['external.onnx'] = encodeModel(ext);

  const bomb = new ModelBuilder('bomb');
  bomb.input('input', [1]);
  bomb.initializer(int64Tensor('shape', [2], [1 << 20, 1 << 20]));
  bomb.node('ConstantOfShape', ['shape'], ['big']);
  bomb.node('Add', ['big', 'input'], ['out']);
  bomb.output('out', [1 << 20, 1 << 20]);
  files['bomb.onnx'] = encodeModel(bomb.build());

  return Object.fromEntries(
    Object.entries(files).map(([name, bytes]) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return [name, path];
    }),
  );
}
