import { NotFoundError } from '@edgefit/core';
import type { ZooModel } from './zoo-model.js';
import { lenet300100 } from './lenet-300-100.js';
import { lenet5 } from './lenet-5.js';
import { mobilenetTiny } from './mobilenet-tiny.js';
import { autoencoder } from './autoencoder.js';

const registry = new Map<string, ZooModel>();

export function registerZooModel(model: ZooModel): void {
  if (registry.has(model.name)) throw new Error(`zoo model '${model.name}' is registered twice`);
  registry.set(model.name, model);
}

[lenet300100, lenet5, mobilenetTiny, autoencoder].forEach(registerZooModel);

export function zooModelNames(): string[] {
  return [...registry.keys()];
}

export function isZooModel(name: string): boolean {
  return registry.has(name);
}

export function getZooModel(name: string): ZooModel {
  const model = registry.get(name);
  if (!model) throw new NotFoundError(`unknown zoo model '${name}'; built-in models: ${zooModelNames().join(', ')}`);
  return model;
}
