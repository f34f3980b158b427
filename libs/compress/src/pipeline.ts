import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError, hashJson, hostFingerprint, sha256, type HostFingerprint } from '@edgefit/core';
import { decodeModel, encodeModel, type onnx } from '@edgefit/onnx';
import type { PassContext, PassReport } from './pass.js';
import type { PassRegistry } from './pass-registry.js';
import type { PassStep } from './pass-spec.js';

/** The default order of technique families: distill → prune → low-rank → quantize. */
export const DEFAULT_PASS_ORDER = ['distill', 'prune', 'lowrank', 'quantize'];

/** Steps sorted into the default order (stable for passes outside it, which go last). */
export function orderSteps(steps: PassStep[]): PassStep[] {
  const rank = (s: PassStep) => {
    const family = DEFAULT_PASS_ORDER.findIndex((f) => s.pass === f || s.pass.startsWith(`${f}-`));
    return family < 0 ? DEFAULT_PASS_ORDER.length : family;
  };
  return steps.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}

export interface PipelineResult {
  model: onnx.ModelProto;
  bytes: Uint8Array;
  reports: PassReport[];
  /** sha256 of (base model, steps, context identity, and the host when a step measures): the artifact's address. */
  key: string;
  cached: boolean;
  /** Leading steps taken from the cache (all of them when `cached`). */
  reusedSteps: number;
}

export interface PipelineOptions {
  /** Folder of the content-addressed output cache; none → no caching. */
  cacheDir?: string;
  /** What else determines the output (dataset, split seed, seed); part of the key. */
  contextKey?: unknown;
  /** The host a measuring step's result is keyed by; default this one (`hostFingerprint()`). */
  host?: HostFingerprint;
}

/**
 * The cache key of a pipeline run. A step that decides by measuring latency
 * (form: auto) gives another model on another CPU, thread count or
 * onnxruntime, so the host joins the key exactly when a step measures; other
 * pipelines keep host-independent keys and their cache stays shareable.
 */
export function pipelineKey(baseBytes: Uint8Array, steps: PassStep[], registry: PassRegistry, opts: PipelineOptions = {}): string {
  return keyOfHashedBase(sha256(baseBytes), steps, registry, opts);
}

/** pipelineKey for a base model already hashed (a run keys every prefix of its pipeline). */
function keyOfHashedBase(base: string, steps: PassStep[], registry: PassRegistry, opts: PipelineOptions): string {
  const measured = steps.some((s) => registry.get(s.pass).measures?.(s.params) ?? false);
  return hashJson({ base, steps, context: opts.contextKey ?? null, ...(measured ? { host: opts.host ?? hostFingerprint() } : {}) });
}

function assertLayersExist(model: onnx.ModelProto, step: PassStep): void {
  const names = new Set((model.graph?.node ?? []).map((n) => n.name));
  for (const [param, layers] of Object.entries(step.params.perLayer)) {
    for (const layer of Object.keys(layers)) {
      if (!names.has(layer)) {
        throw new UserInputError(`pass '${step.pass}': parameter '${param}.${layer}' names layer '${layer}', which the model does not have`);
      }
    }
  }
}

/**
 * Apply the steps in order; outputs are cached by pipelineKey — the whole
 * pipeline's and every prefix's, so a pipeline that adds a step to one
 * already run (quantize after the same fine-tuned pruning) starts from the
 * cached prefix instead of redoing it. Step i runs in `ctx.forStep(i)`,
 * which makes the resumed result the one a whole run gives.
 */
export async function runPipeline(
  base: onnx.ModelProto,
  steps: PassStep[],
  registry: PassRegistry,
  ctx: PassContext,
  opts: PipelineOptions = {},
): Promise<PipelineResult> {
  const baseBytes = encodeModel(base);
  const baseHash = sha256(baseBytes);
  const prefixKey = (n: number) => keyOfHashedBase(baseHash, steps.slice(0, n), registry, opts);
  const cached = (n: number) => readCached(opts.cacheDir, prefixKey(n));
  const key = prefixKey(steps.length);
  const whole = cached(steps.length);
  if (whole) return { ...whole, key, cached: true, reusedSteps: steps.length };
  let start = 0;
  let model = decodeModel(baseBytes); // passes never see (or mutate) the caller's object
  let reports: PassReport[] = [];
  for (let n = steps.length - 1; n > 0; n--) {
    const prefix = cached(n);
    if (!prefix) continue;
    [start, model, reports] = [n, prefix.model, prefix.reports];
    ctx.log(`reusing the cached result of the first ${n} step(s)`);
    break;
  }
  let bytes = baseBytes;
  for (let i = start; i < steps.length; i++) {
    const step = steps[i]!;
    const pass = registry.get(step.pass);
    assertLayersExist(model, step);
    ctx.log(`pass ${step.pass}`);
    const result = await pass.apply(model, step.params, ctx.forStep?.(i) ?? ctx);
    model = result.model;
    reports = [...reports, result.report];
    bytes = encodeModel(model);
    writeCached(opts.cacheDir, prefixKey(i + 1), bytes, reports);
  }
  return { model, bytes, reports, key, cached: false, reusedSteps: start };
}

function readCached(cacheDir: string | undefined, key: string): { model: onnx.ModelProto; bytes: Uint8Array; reports: PassReport[] } | undefined {
  const path = cacheDir ? join(cacheDir, `${key}.onnx`) : undefined;
  if (!path || !existsSync(path) || !existsSync(`${path}.json`)) return undefined;
  const bytes = readFileSync(path);
  return { model: decodeModel(bytes, path), bytes, reports: JSON.parse(readFileSync(`${path}.json`, 'utf8')) as PassReport[] };
}

function writeCached(cacheDir: string | undefined, key: string, bytes: Uint8Array, reports: PassReport[]): void {
  if (!cacheDir) return;
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, `${key}.onnx`);
  // reports first: a reader takes an entry only when both files exist, and the model is written last
  writeFileSync(`${path}.json`, JSON.stringify(reports));
  writeFileSync(path, bytes);
}
