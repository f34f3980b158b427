import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError, UserInputError } from '@edgefit/core';
import type { z } from 'zod';
import { HOST_PROFILE_NAME, defaultHostProfile } from './host-profile.js';
import { HardwareProfileSchema, type HardwareProfile } from './profile-schema.js';

/** hardware-profiles/ at the repository root; EDGEFIT_PROFILES_DIR overrides it (tests, deployments). */
export function profilesDir(): string {
  return process.env.EDGEFIT_PROFILES_DIR ?? fileURLToPath(new URL('../../../hardware-profiles/', import.meta.url));
}

export interface ProfileDirOptions {
  dir?: string;
}

/** A zod issue path as a reader would write it: memory[1].sizeBytes, sources["clockMHz"]. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(root)';
}

function issueLine(source: string, issues: readonly z.core.$ZodIssue[]): string {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${source}: invalid hardware profile at ${formatIssuePath(first.path)}: ${first.message}${more}`;
}

/** Validate parsed JSON as a profile; a problem becomes one UserInputError line naming the source and field. */
export function parseProfile(json: unknown, source = 'profile'): HardwareProfile {
  const result = HardwareProfileSchema.safeParse(json);
  if (!result.success) throw new UserInputError(issueLine(source, result.error.issues));
  return result.data;
}

/** checkName: a profile found by name must carry that name, so `--device x` and the file agree. */
function readProfileFile(path: string, checkName: boolean): HardwareProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserInputError(`${path}: cannot read hardware profile (${(err as NodeJS.ErrnoException).code ?? err})`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserInputError(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const profile = parseProfile(json, path);
  const stem = basename(path, '.json');
  if (checkName && profile.name !== stem) {
    throw new UserInputError(`${path}: invalid hardware profile at name: '${profile.name}' must equal the file name '${stem}'`);
  }
  return profile;
}

/** Names of the profiles in the directory (file names without .json), sorted. */
export function profileNames(opts: ProfileDirOptions = {}): string[] {
  const dir = opts.dir ?? profilesDir();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)) : [];
  return [...new Set([...files, HOST_PROFILE_NAME])].sort();
}

/**
 * A profile by name (hardware-profiles/<name>.json) or by file path (anything
 * ending in .json or containing a slash). Unknown names list the known ones.
 */
export function loadProfile(nameOrPath: string, opts: ProfileDirOptions = {}): HardwareProfile {
  const looksLikePath = nameOrPath.endsWith('.json') || nameOrPath.includes('/') || nameOrPath.includes('\\');
  if (looksLikePath) {
    const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
    if (!existsSync(path)) throw new NotFoundError(`hardware profile file '${nameOrPath}' does not exist`);
    return readProfileFile(path, false);
  }
  const dir = opts.dir ?? profilesDir();
  const path = join(dir, `${nameOrPath}.json`);
  // host-cpu exists on every machine: until calibration writes its file, it is made from OS facts
  if (nameOrPath === HOST_PROFILE_NAME && !existsSync(path)) return defaultHostProfile();
  if (!/^[a-z0-9][a-z0-9-]*$/.test(nameOrPath) || !existsSync(path)) {
    throw new NotFoundError(`unknown device '${nameOrPath}'; known devices: ${profileNames({ dir }).join(', ') || '(none)'}`);
  }
  return readProfileFile(path, true);
}

/** Every profile in the directory, validated, sorted by name; a broken file throws naming it. */
export function listProfiles(opts: ProfileDirOptions = {}): HardwareProfile[] {
  const dir = opts.dir ?? profilesDir();
  return profileNames({ dir }).map((name) => {
    const path = join(dir, `${name}.json`);
    return name === HOST_PROFILE_NAME && !existsSync(path) ? defaultHostProfile() : readProfileFile(path, true);
  });
}
