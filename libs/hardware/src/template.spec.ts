import { describe, expect, it } from 'vitest';
import { UserInputError } from '@edgefit/core';
import { predictCost } from './cost-model.js';
import { loadProfile } from './profile-loader.js';
import { instantiateTemplate, templateParameters } from './template.js';
import { annotateBits, mlp } from './testing/models.js';

describe('co-design templates', () => {
  const bitfusion = loadProfile('bitfusion');

  it('reproduce the profile at the default point', () => {
    const point = instantiateTemplate(bitfusion);
    expect(point.profile.bitSerial!.macsPerSecondAtStep).toBe(bitfusion.bitSerial!.macsPerSecondAtStep);
    expect(point.profile.memory[0]!.sizeBytes).toBe(bitfusion.memory[0]!.sizeBytes);
    expect(point.profile.template).toBeUndefined();
    expect(point.areaMm2).toBeGreaterThan(1);
    expect(point.powerW).toBeGreaterThan(0);
  });

  it('trade silicon for speed: a 4x larger array is faster on compute-bound layers and costs more area and power', () => {
    const small = instantiateTemplate(bitfusion, { rows: 16, cols: 8 });
    const large = instantiateTemplate(bitfusion, { rows: 32, cols: 16 });
    expect(large.profile.bitSerial!.macsPerSecondAtStep / small.profile.bitSerial!.macsPerSecondAtStep).toBe(4);
    expect(large.areaMm2).toBeGreaterThan(small.areaMm2);
    expect(large.powerW).toBeGreaterThan(small.powerW);
    const model = annotateBits(mlp([512, 512], { batch: 256 }), 8, 8);
    const layer = (p: typeof small.profile) => predictCost(model, p).perLayer.find((l) => l.name === 'fc1')!;
    const ratio = layer(small.profile).computeMs / layer(large.profile).computeMs;
    expect(ratio).toBeCloseTo(4, 5);
  });

  it('limits the supported bit widths through maxBits', () => {
    const narrow = instantiateTemplate(bitfusion, { maxBits: 4 }).profile;
    const model = annotateBits(mlp([64, 64]), 8, 8);
    const onNarrow = predictCost(model, narrow, { resolveProfile: () => loadProfile('raspberry-pi-4') });
    expect(narrow.supportedPrecisions).toEqual(['int4', 'int2', 'binary']);
    // 8-bit layers no longer fit the array: they fall back to the host
    expect(onNarrow.perLayer.find((l) => l.name === 'fc1')!.fallback).toBe(true);
    const bits4 = predictCost(annotateBits(mlp([64, 64]), 4, 4), narrow, { resolveProfile: () => loadProfile('raspberry-pi-4') });
    expect(bits4.perLayer.find((l) => l.name === 'fc1')!.precision).toBe('int4 bit-serial');
  });

  it('refuse unknown parameters and values out of range', () => {
    expect(() => templateParameters(bitfusion, { colz: 3 })).toThrow(UserInputError);
    expect(() => templateParameters(bitfusion, { rows: 1000 })).toThrow(/outside \[8, 64\]/);
    expect(() => instantiateTemplate(loadProfile('edge-tpu'))).toThrow(/not a template/);
  });
});
