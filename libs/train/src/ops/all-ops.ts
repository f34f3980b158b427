import { registerOp } from './op-registry.js';
import type { OpDefinition } from './op-types.js';
import { addOp } from './add.js';
import { averagePoolOp } from './average-pool.js';
import { batchNormalizationOp } from './batch-normalization.js';
import { clipOp } from './clip.js';
import { concatOp } from './concat.js';
import { constantOp } from './constant.js';
import { convOp } from './conv.js';
import { dequantizeLinearOp } from './dequantize-linear.js';
import { divOp } from './div.js';
import { dropoutOp } from './dropout.js';
import { flattenOp } from './flatten.js';
import { gemmOp } from './gemm.js';
import { globalAveragePoolOp } from './global-average-pool.js';
import { hardSigmoidOp } from './hard-sigmoid.js';
import { hardSwishOp } from './hard-swish.js';
import { identityOp } from './identity.js';
import { leakyReluOp } from './leaky-relu.js';
import { matMulOp } from './matmul.js';
import { maxPoolOp } from './max-pool.js';
import { mulOp } from './mul.js';
import { quantizeLinearOp } from './quantize-linear.js';
import { reluOp } from './relu.js';
import { reshapeOp } from './reshape.js';
import { sigmoidOp } from './sigmoid.js';
import { softmaxOp } from './softmax.js';
import { squeezeOp } from './squeeze.js';
import { subOp } from './sub.js';
import { tanhOp } from './tanh.js';
import { transposeOp } from './transpose.js';
import { unsqueezeOp } from './unsqueeze.js';

/** The executor's op table: every ONNX operator it can run and differentiate. */
export const ALL_OPS: readonly OpDefinition[] = [
  addOp, averagePoolOp, batchNormalizationOp, clipOp, concatOp, constantOp, convOp, dequantizeLinearOp, divOp,
  dropoutOp, flattenOp, gemmOp, globalAveragePoolOp, hardSigmoidOp, hardSwishOp, identityOp, leakyReluOp,
  matMulOp, maxPoolOp, mulOp, quantizeLinearOp, reluOp, reshapeOp, sigmoidOp, softmaxOp, squeezeOp, subOp,
  tanhOp, transposeOp, unsqueezeOp,
];

ALL_OPS.forEach(registerOp);
