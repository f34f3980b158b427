import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotFoundError, UserInputError } from '@edgefit/core';
import { sramEnergyPerByte45 } from './energy.js';
import { listProfiles, loadProfile, profileNames, profilesDir } from './profile-loader.js';
import { DEVICE_CLASSES, figurePaths } from './profile-schema.js';

const BUILT_IN = ['adreno-640', 'bismo-fpga', 'bitfusion', 'edge-tpu', 'host-cpu', 'jetson-nano', 'raspberry-pi-4', 'stm32h743'];
const tmp = mkdtempSync(join(tmpdir(), 'edgefit-profiles-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function rawProfile(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(profilesDir(), `${name}.json`), 'utf8'));
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('built-in hardware profiles', () => {
  const profiles = listProfiles();

  it('are all present and validate against the schema', () => {
    expect(profiles.map((p) => p.name)).toEqual(BUILT_IN);
    for (const p of profiles) expect(DEVICE_CLASSES).toContain(p.class);
    expect(new Set(profiles.map((p) => p.class))).toEqual(new Set(DEVICE_CLASSES));
  });

  it('give a source for every figure, saying whether it is published, derived, assumed or measured', () => {
    for (const p of profiles) {
      for (const path of figurePaths(p)) {
        const s = p.sources[path];
        expect(s, `${p.name}: ${path}`).toBeDefined();
        expect(['published', 'derived', 'assumed', 'measured']).toContain(s!.kind);
        expect(s!.citation.length).toBeGreaterThan(10);
      }
    }
  });

  it('derive on-chip energy per byte from Horowitz by array size, scaled by the stated process node', () => {
    let checked = 0;
    for (const p of profiles) {
      for (const level of p.memory) {
        const src = p.sources[`memory.${level.name}.energyPjPerByte`]!;
        if (src.kind !== 'derived' || !src.citation.includes('sqrt')) continue;
        const scale = src.citation.includes('scaled by') ? (p.processNm ?? 45) / 45 : 1;
        expect(level.energyPjPerByte, `${p.name} ${level.name}`).toBeCloseTo(sramEnergyPerByte45(level.sizeBytes) * scale, 2);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('carry the published headline figures of the issue', () => {
    const get = (n: string) => profiles.find((p) => p.name === n)!;
    const tpu = get('edge-tpu');
    expect(tpu.peakMacsPerSecond.int8! * 2).toBe(4e12); // 4 TOPS
    expect(tpu.supportedPrecisions).toEqual(['int8']);
    expect(tpu.memory.find((l) => l.name === 'sram')!.sizeBytes).toBe(8 * 1024 * 1024);
    expect(tpu.operators.fallback).toEqual({ device: 'host-cpu', scope: 'rest' });
    const mcu = get('stm32h743');
    expect(mcu.memory.find((l) => l.kind === 'flash')!.sizeBytes).toBe(2 * 1024 * 1024);
    expect(mcu.memory.filter((l) => l.kind === 'sram').reduce((s, l) => s + l.sizeBytes, 0)).toBe(992 * 1024); // 1 MB less 64 KB ITCM for code
    expect(get('jetson-nano').peakMacsPerSecond.fp16! * 2).toBe(472e9);
    expect(Math.abs((get('bismo-fpga').bitSerial!.macsPerSecondAtStep * 2) / 6.5e12 - 1)).toBeLessThan(0.01); // 6.5 binary TOPS
    expect(get('bitfusion').template).toBeDefined();
  });

  it('include host-cpu even before calibration wrote its file', () => {
    const dir = join(tmp, 'empty');
    expect(profileNames({ dir })).toEqual(['host-cpu']);
    expect(loadProfile('host-cpu', { dir }).class).toBe('cpu');
  });
});

describe('loading a broken profile', () => {
  const write = (file: string, json: unknown) => {
    const path = join(tmp, file);
    writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
    return path;
  };

  it('names the file and the field path of a bad value in one line', () => {
    const p = rawProfile('raspberry-pi-4');
    p.memory[2].bandwidthBytesPerSecond = -5;
    const path = write('bad-bandwidth.json', p);
    const err = errorOf(() => loadProfile(path));
    expect(err).toBeInstanceOf(UserInputError);
    expect(err.message).toContain(path);
    expect(err.message).toContain('memory[2].bandwidthBytesPerSecond');
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('names a missing field, a wrong enum value and an unknown key', () => {
    const missing = rawProfile('edge-tpu');
    delete missing.clockMHz;
    expect(errorOf(() => loadProfile(write('missing.json', missing))).message).toMatch(/at clockMHz: /);
    const enumBad = rawProfile('edge-tpu');
    enumBad.class = 'tpu';
    expect(errorOf(() => loadProfile(write('enum.json', enumBad))).message).toMatch(/at class: /);
    const extra = rawProfile('edge-tpu');
    extra.memory[0].latencyNs = 3;
    expect(errorOf(() => loadProfile(write('extra.json', extra))).message).toMatch(/at memory\[0\]: .*latencyNs/);
  });

  it('requires a source for every figure', () => {
    const p = rawProfile('stm32h743');
    delete p.sources['memory.flash.sizeBytes'];
    expect(errorOf(() => loadProfile(write('nosource.json', p))).message).toContain('sources["memory.flash.sizeBytes"]');
  });

  it('rejects template formulas that use unknown parameters', () => {
    const p = rawProfile('bitfusion');
    p.template.bindings['array.k'] = 'rowz * 2';
    expect(errorOf(() => loadProfile(write('template.json', p))).message).toContain('template.bindings["array.k"]');
  });

  it('reports invalid JSON with the file name', () => {
    const path = write('notjson.json', '{ "name": ');
    const err = errorOf(() => loadProfile(path));
    expect(err).toBeInstanceOf(UserInputError);
    expect(err.message).toContain(path);
  });

  it('lists the known devices for an unknown name', () => {
    const err = errorOf(() => loadProfile('tpu-v9'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toContain('edge-tpu');
    expect(err.message).toContain('stm32h743');
  });

  it('requires a profile found by name to carry that name', () => {
    const dir = join(tmp, 'named');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, 'my-npu.json'), JSON.stringify(rawProfile('edge-tpu')));
    expect(errorOf(() => listProfiles({ dir })).message).toContain("must equal the file name 'my-npu'");
  });
});


