export { packModel, unpackModel, type PackResult, type TensorPackReport } from './model-codec.js';
export { declaredBits } from './declared-bits.js';
export { huffmanLengths, canonicalCodes, writeHuffman, readHuffman } from './huffman.js';
