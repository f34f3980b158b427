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

export type ModelTask = 'classification' | 'anomaly';

/** The task edgefit recorded on a model (`edgefit.task`); classification when none is recorded. */
export function modelTask(model: onnx.IModelProto): ModelTask {
  return getMetadata(model, 'edgefit.task') === 'anomaly' ? 'anomaly' : 'classification';
}

/** The anomaly classes an autoencoder was trained without (`edgefit.anomaly_classes`; default class 0). */
export function anomalyClasses(model: onnx.IModelProto): number[] {
  return (getMetadata(model, 'edgefit.anomaly_classes') ?? '0').split(',').map(Number);
}
