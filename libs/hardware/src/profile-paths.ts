/**
 * Dotted paths into a profile, as used by `sources` keys and template
 * bindings. A segment that meets an array selects the element whose `name`
 * equals it (memory levels by name), or the element at a numeric index.
 */
export interface ResolvedPath {
  parent: Record<string, unknown>;
  key: string;
}

export function resolvePath(root: unknown, path: string): ResolvedPath | null {
  const parts = path.split('.');
  let current: unknown = root;
  for (let i = 0; i < parts.length - 1; i++) {
    current = step(current, parts[i]!);
    if (current === undefined || current === null || typeof current !== 'object') return null;
  }
  const key = parts[parts.length - 1]!;
  if (Array.isArray(current)) return null;
  return { parent: current as Record<string, unknown>, key };
}

function step(value: unknown, part: string): unknown {
  if (Array.isArray(value)) {
    const byName = value.find((v) => v && typeof v === 'object' && (v as { name?: unknown }).name === part);
    if (byName !== undefined) return byName;
    return /^\d+$/.test(part) ? value[Number(part)] : undefined;
  }
  if (value && typeof value === 'object') return (value as Record<string, unknown>)[part];
  return undefined;
}
