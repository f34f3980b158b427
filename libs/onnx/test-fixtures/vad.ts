/** The Silero VAD models shipped in @ricky0123/vad-web: real ONNX files nobody here wrote. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ort } from './ort.js';

const DIST = fileURLToPath(new URL('../../../node_modules/@ricky0123/vad-web/dist/', import.meta.url));

export interface VadModel {
  name: string;
  path: string;
  bytes: Buffer;
  /** Input shapes for shape inference / cost analysis at 16 kHz. */
  inputShapes: Record<string, number[]>;
  /** onnxruntime feeds for one frame at the given sample rate (samples: a seeded chirp). */
  feeds(sampleRate: 8000 | 16000): Record<string, ort.Tensor>;
}

function chirp(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(0.002 * i * i) + 0.05 * Math.sin(i));
}

const sr = (rate: number) => new ort.Tensor('int64', BigInt64Array.from([BigInt(rate)]), []);
const zeros = (dims: number[]) => new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);

/** v4 ("legacy") takes input, sr, h, c; v5/v6 take input (frame + 64 context samples at 16 kHz), state, sr. */
export const VAD_MODELS: VadModel[] = [
  {
    name: 'silero_vad_legacy',
    inputShapes: { input: [1, 512], h: [2, 1, 64], c: [2, 1, 64] },
    feeds: (rate: number) => ({ input: new ort.Tensor('float32', chirp(rate === 16000 ? 512 : 256), [1, rate === 16000 ? 512 : 256]), sr: sr(rate), h: zeros([2, 1, 64]), c: zeros([2, 1, 64]) }),
  },
  ...['silero_vad_v5', 'silero_vad_v6'].map((name) => ({
    name,
    inputShapes: { input: [1, 576], state: [2, 1, 128] },
    feeds: (rate: number) => {
      const n = rate === 16000 ? 576 : 288;
      return { input: new ort.Tensor('float32', chirp(n), [1, n]), state: zeros([2, 1, 128]), sr: sr(rate) };
    },
  })),
]
  .map((m) => ({ ...m, path: `${DIST}${m.name}.onnx` }))
  .filter((m) => existsSync(m.path))
  .map((m) => ({ ...m, bytes: readFileSync(m.path) }));
