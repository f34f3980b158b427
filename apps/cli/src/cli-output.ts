/**
 * The CLI contract (DESIGN.md): with --json, exactly one JSON object on
 * stdout; progress and logs go to stderr; otherwise a human-readable summary.
 */
export interface OutputOptions {
  json?: boolean;
}

export function emitResult(opts: OutputOptions, result: object, human: () => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${human()}\n`);
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** A fixed-width table for human output. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
