import type { onnx } from '@edgefit/onnx';

/** How errors name a node: `node 'conv1' (Conv)`. */
export function nodeLabel(node: onnx.INodeProto): string {
  return `node '${node.name || node.output?.[0] || '?'}' (${node.opType ?? '?'})`;
}
