import { onnx } from './proto.js';

/** A metadata_props entry of the model, or undefined. */
export function getMetadata(model: onnx.IModelProto, key: string): string | undefined {
  return model.metadataProps?.find((p) => p.key === key)?.value ?? undefined;
}

/** Set (or replace) metadata_props entries; the model carries how it was made. */
export function setMetadata(model: onnx.IModelProto, entries: Record<string, string>): void {
  const props = (model.metadataProps ??= []);
  for (const [key, value] of Object.entries(entries)) {
    const existing = props.find((p) => p.key === key);
    if (existing) existing.value = value;
    else props.push(onnx.StringStringEntryProto.create({ key, value }));
  }
}
