import { violation } from '../pareto/dominance.js';
import type { Experiment } from './experiment-spec.js';
import type { ParetoSeries, ScatterPoint } from './report-series.js';
import type { SearchResult } from './run-experiment.js';

/**
 * A self-contained HTML report of a search (no scripts, no network): the
 * front as a table, Pareto plots for every pair of objectives, hypervolume
 * over trials and parallel coordinates of the front, drawn by ECharts as
 * inline SVG (report-charts.ts).
 */

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function formatMetric(name: string, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (name.startsWith('accuracy') || name.startsWith('testAccuracy')) return `${(v * 100).toFixed(2)}%`;
  if (/Bytes/.test(name) || name === 'params') return Math.round(v).toLocaleString('en-US');
  if (name.startsWith('fits')) return v ? 'yes' : 'no';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

export async function renderReport(exp: Experiment, result: SearchResult): Promise<string> {
  const { hypervolumeChart, paretoChart, parallelChart, shortNumber } = await import('./report-charts.js');
  const objs = exp.objectives;
  const frontSet = new Set(result.front.map((f) => f.trial));
  const done = result.trialRecords.filter((t) => t.state === 'COMPLETE' && t.values && t.cachedFrom === undefined);
  const plots: string[] = [];
  const pairs: [number, number][] = [];
  for (let i = 0; i < objs.length; i++) for (let j = i + 1; j < objs.length; j++) pairs.push([i, j]);
  if (objs.length === 1) pairs.push([0, 0]);
  const seriesOf = (t: (typeof done)[number]): ParetoSeries =>
    t.number === result.knee?.trial ? 'knee' : frontSet.has(t.number) ? 'front' : violation(t.constraints) > 0 ? 'infeasible' : 'other trials';
  for (const [i, j] of pairs) {
    // x: a minimized objective where possible (latency, size), y: the other.
    const [xi, yi] = objs[i]!.direction === 'maximize' && objs[j]!.direction === 'minimize' ? [j, i] : [i, j];
    const pts: ScatterPoint[] = done.map((t) => ({ x: t.values![xi]!, y: t.values![yi]!, series: seriesOf(t), trial: t.number }));
    const bx = result.baseline?.[objs[xi]!.name];
    const by = result.baseline?.[objs[yi]!.name];
    if (bx !== undefined && by !== undefined) pts.push({ x: bx, y: by, series: 'uncompressed' });
    if (pts.length) plots.push(paretoChart(`${objs[yi]!.name} vs ${objs[xi]!.name}`, objs[xi]!.name, objs[yi]!.name, pts));
  }
  const parallelAxes = [...objs.map((o) => ({ name: o.name, direction: o.direction })), ...(result.front.some((f) => f.metrics.testAccuracy !== undefined) ? [{ name: 'testAccuracy', direction: 'maximize' as const }] : [])];
  const valuesOf = (m: Record<string, number>) => parallelAxes.map((a) => m[a.name]);
  const parallel = parallelChart(
    parallelAxes,
    result.front.filter((f) => f.trial !== result.knee?.trial).map((f) => valuesOf(f.metrics)),
    result.knee ? valuesOf(result.knee.metrics) : undefined,
    result.baseline ? valuesOf(result.baseline) : undefined,
  );
  const metricCols = [...objs.map((o) => o.name), 'testAccuracy', ...exp.constraints.map((c) => c.metric).filter((m) => !objs.some((o) => o.name === m))];
  const uniqueCols = [...new Set(metricCols)];
  const rows = result.front
    .map((f) => {
      const knee = f.trial === result.knee?.trial;
      const cfg = Object.entries(f.config)
        .map(([k, v]) => `${esc(k)}=${esc(typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v)}`)
        .join('<br>');
      return `<tr${knee ? ' class="knee"' : ''}><td>${f.trial}${knee ? ' ★' : ''}</td>${uniqueCols.map((c) => `<td>${esc(formatMetric(c, f.metrics[c]))}</td>`).join('')}<td>${esc(f.passes.join(' → ') || 'none')}</td><td class="cfg">${cfg}</td><td>${esc(f.artifact.split('/').pop())}</td></tr>`;
    })
    .join('\n');
  const baseRow = result.baseline ? `<tr class="base"><td>uncompressed</td>${uniqueCols.map((c) => `<td>${esc(formatMetric(c, result.baseline![c]))}</td>`).join('')}<td></td><td></td><td></td></tr>` : '';
  const constraints = exp.constraints.length ? exp.constraints.map((c) => `${esc(c.metric)} ${c.op === '<=' ? '≤' : '≥'} ${esc(c.bound)}`).join('; ') : 'none';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edgefit search: ${esc(exp.name)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111;max-width:1400px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
svg{margin:6px 10px 6px 0;background:#fff;vertical-align:top}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}
td.cfg{text-align:left;font-size:11px;color:#444}tr.knee{background:#fef3c7}tr.base{background:#f3f4f6}
.muted{color:#666}
</style></head><body>
<h1>edgefit search — ${esc(exp.name)}</h1>
<p>${esc(exp.description ?? '')}</p>
<p class="muted">study <b>${esc(result.study.id)}</b> · sampler ${esc(result.study.sampler)} · seed ${result.study.seed} · ${result.trials} trials (${result.completed} complete, ${result.pruned} pruned, ${result.failed} failed) · ${result.seconds.toFixed(1)} s<br>
model ${esc(exp.zoo ?? exp.modelPath)} · dataset ${esc(exp.dataset)} · targets ${esc(exp.targets.map((t) => t.name).join(', ') || 'none')} · constraints: ${constraints}<br>
hypervolume <b>${esc(result.hypervolume.toPrecision(6))}</b> (reference ${esc(result.reference.map((r) => shortNumber(r)).join(', '))}) · validation on ${esc(result.front[0]?.metrics.validationSamples ?? exp.fidelity.validationSubset ?? 'all')} samples; test figures from the held-out test split on the front only</p>
<h2>Front (${result.front.length} models; ★ knee-point recommendation)</h2>
${result.baseline ? `<p>${result.front.filter((f) => f.beatsBaseline).length} of them beat the uncompressed model (no worse on every minimized objective, better on one, within 1 point of its accuracy).</p>` : ''}
<table><tr><th>trial</th>${uniqueCols.map((c) => `<th>${esc(c)}</th>`).join('')}<th>passes</th><th>config</th><th>model</th></tr>
${baseRow}
${rows}
</table>
<h2>Pareto plots</h2>
${plots.join('\n')}
<h2>Hypervolume over trials</h2>
${hypervolumeChart(result.hypervolumeHistory)}
<h2>Parallel coordinates of the front</h2>
${parallel}
</body></html>
`;
}
