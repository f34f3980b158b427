import { violation } from '../pareto/dominance.js';
import type { TrialRecord } from '../study/trial.js';
import type { Experiment } from './experiment-spec.js';
import type { SearchResult } from './run-experiment.js';

/**
 * A self-contained HTML report of a search (no scripts, no network): Pareto
 * scatter plots for every pair of objectives, hypervolume over trials, and
 * parallel coordinates of the front — inline SVG drawn here.
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

interface Axis {
  lo: number;
  hi: number;
  log: boolean;
  map(v: number): number; // → [0,1]
  ticks: number[];
}

function axis(values: number[], allowLog = true): Axis {
  const finite = values.filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (!finite.length) [lo, hi] = [0, 1];
  const log = allowLog && lo > 0 && hi / lo > 30;
  if (log) {
    const [a, b] = [Math.log10(lo), Math.log10(hi)];
    const pad = (b - a) * 0.05 || 0.1;
    const [l, h] = [a - pad, b + pad];
    const ticks: number[] = [];
    for (let k = Math.ceil(l); k <= Math.floor(h); k++) ticks.push(10 ** k);
    return { lo: 10 ** l, hi: 10 ** h, log, map: (v) => (Math.log10(v) - l) / (h - l), ticks: ticks.length >= 2 ? ticks : [10 ** l, 10 ** h] };
  }
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  const [l, h] = [lo - pad, hi + pad];
  const raw = (h - l) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((x) => x >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(l / step) * step; t <= h + 1e-12; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return { lo: l, hi: h, log, map: (v) => (v - l) / (h - l), ticks };
}

const short = (v: number): string => {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${(v / 1e3).toPrecision(3)}k`;
  if (a === 0) return '0';
  return a >= 1 ? v.toPrecision(3) : v.toPrecision(2);
};

interface Pt {
  x: number;
  y: number;
  cls: 'trial' | 'infeasible' | 'front' | 'knee' | 'baseline';
  label: string;
}

function scatter(title: string, xName: string, yName: string, pts: Pt[], opts: { line?: boolean; w?: number; h?: number; linear?: boolean } = {}): string {
  const W = opts.w ?? 420;
  const H = opts.h ?? 300;
  const m = { l: 62, r: 14, t: 26, b: 42 };
  const ax = axis(pts.map((p) => p.x), !opts.linear);
  const ay = axis(pts.map((p) => p.y), !opts.linear);
  const X = (v: number) => m.l + ax.map(v) * (W - m.l - m.r);
  const Y = (v: number) => H - m.b - ay.map(v) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="#fafafa" stroke="#ccc"/>`);
  for (const t of ax.ticks) parts.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#555"/><text x="${X(t)}" y="${H - m.b + 15}" text-anchor="middle">${esc(short(t))}</text>`);
  for (const t of ay.ticks) parts.push(`<line x1="${m.l - 4}" x2="${m.l}" y1="${Y(t)}" y2="${Y(t)}" stroke="#555"/><text x="${m.l - 6}" y="${Y(t) + 4}" text-anchor="end">${esc(short(t))}</text>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle" class="lab">${esc(xName)}${ax.log ? ' (log)' : ''}</text>`);
  parts.push(`<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle" class="lab">${esc(yName)}${ay.log ? ' (log)' : ''}</text>`);
  parts.push(`<text x="${m.l}" y="16" class="title">${esc(title)}</text>`);
  if (opts.line && pts.length) {
    parts.push(`<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${pts.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ')}"/>`);
  } else {
    const order = ['trial', 'infeasible', 'front', 'baseline', 'knee'];
    const front = pts.filter((p) => p.cls === 'front' || p.cls === 'knee').sort((a, b) => a.x - b.x);
    for (const p of [...pts].sort((a, b) => order.indexOf(a.cls) - order.indexOf(b.cls))) {
      const [x, y] = [X(p.x).toFixed(1), Y(p.y).toFixed(1)];
      const tip = `<title>${esc(p.label)}</title>`;
      if (p.cls === 'trial') parts.push(`<circle cx="${x}" cy="${y}" r="3" fill="#9ca3af" fill-opacity="0.7">${tip}</circle>`);
      else if (p.cls === 'infeasible') parts.push(`<circle cx="${x}" cy="${y}" r="3" fill="none" stroke="#ef4444">${tip}</circle>`);
      else if (p.cls === 'front') parts.push(`<circle cx="${x}" cy="${y}" r="4.5" fill="#2563eb">${tip}</circle>`);
      else if (p.cls === 'knee') parts.push(`<path d="M${x} ${Number(y) - 8} L${Number(x) + 7} ${Number(y) + 5} L${Number(x) - 7} ${Number(y) + 5} Z" fill="#f59e0b" stroke="#92400e">${tip}</path>`);
      else parts.push(`<path d="M${Number(x) - 6} ${Number(y) - 6} L${Number(x) + 6} ${Number(y) + 6} M${Number(x) - 6} ${Number(y) + 6} L${Number(x) + 6} ${Number(y) - 6}" stroke="#111" stroke-width="2">${tip}</path>`);
    }
    void front;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

function parallel(exp: Experiment, result: SearchResult): string {
  const axes = [...exp.objectives.map((o) => o.name), ...(result.front.some((f) => f.metrics.testAccuracy !== undefined) ? ['testAccuracy'] : [])];
  const W = Math.max(480, 150 * axes.length);
  const H = 300;
  const m = { l: 70, r: 70, t: 44, b: 30 };
  const rows = result.front;
  const scales = axes.map((a) => axis([...rows.map((r) => r.metrics[a]!), ...(result.baseline?.[a] !== undefined ? [result.baseline[a]!] : [])]));
  const X = (i: number) => m.l + (axes.length === 1 ? 0.5 : i / (axes.length - 1)) * (W - m.l - m.r);
  const Y = (i: number, v: number) => H - m.b - scales[i]!.map(v) * (H - m.t - m.b);
  const parts: string[] = [];
  axes.forEach((a, i) => {
    parts.push(`<line x1="${X(i)}" x2="${X(i)}" y1="${m.t}" y2="${H - m.b}" stroke="#555"/>`);
    const dir = exp.objectives.find((o) => o.name === a)?.direction ?? 'maximize';
    parts.push(`<text x="${X(i)}" y="${m.t - 18}" text-anchor="middle" class="lab">${esc(a)}</text><text x="${X(i)}" y="${m.t - 6}" text-anchor="middle">${dir === 'maximize' ? '↑ better' : '↓ better'}</text>`);
    parts.push(`<text x="${X(i)}" y="${H - m.b + 14}" text-anchor="middle">${esc(short(scales[i]!.lo))}</text><text x="${X(i) - 4}" y="${m.t + 4}" text-anchor="end" fill="#555">${esc(short(scales[i]!.hi))}</text>`);
  });
  const line = (vals: (number | undefined)[], color: string, width: number, label: string, dash = '') => {
    const pts = vals.map((v, i) => (v === undefined || !Number.isFinite(v) ? null : `${X(i).toFixed(1)},${Y(i, v).toFixed(1)}`)).filter(Boolean);
    return `<polyline fill="none" stroke="${color}" stroke-width="${width}" ${dash ? `stroke-dasharray="${dash}"` : ''} stroke-opacity="0.85" points="${pts.join(' ')}"><title>${esc(label)}</title></polyline>`;
  };
  for (const r of rows) if (r.trial !== result.knee?.trial) parts.push(line(axes.map((a) => r.metrics[a]), '#2563eb', 1.5, `trial ${r.trial}`));
  if (result.baseline) parts.push(line(axes.map((a) => result.baseline![a]), '#111', 2, 'uncompressed model', '5 4'));
  if (result.knee) parts.push(line(axes.map((a) => result.knee!.metrics[a]), '#f59e0b', 3.5, `knee: trial ${result.knee.trial}`));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

function trialLabel(t: TrialRecord, exp: Experiment): string {
  return `trial ${t.number}: ${exp.objectives.map((o, i) => `${o.name}=${formatMetric(o.name, t.values?.[i])}`).join(', ')}\n${Object.entries(t.config)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`)
    .join(', ')}`;
}

export function renderReport(exp: Experiment, result: SearchResult): string {
  const objs = exp.objectives;
  const frontSet = new Set(result.front.map((f) => f.trial));
  const done = result.trialRecords.filter((t) => t.state === 'COMPLETE' && t.values && t.cachedFrom === undefined);
  const plots: string[] = [];
  const pairs: [number, number][] = [];
  for (let i = 0; i < objs.length; i++) for (let j = i + 1; j < objs.length; j++) pairs.push([i, j]);
  if (objs.length === 1) pairs.push([0, 0]);
  for (const [i, j] of pairs) {
    // x: a minimized objective where possible (latency, size), y: the other.
    const [xi, yi] = objs[i]!.direction === 'maximize' && objs[j]!.direction === 'minimize' ? [j, i] : [i, j];
    const pts: Pt[] = done.map((t) => ({
      x: t.values![xi]!,
      y: t.values![yi]!,
      cls: t.number === result.knee?.trial ? 'knee' : frontSet.has(t.number) ? 'front' : violation(t.constraints) > 0 ? 'infeasible' : 'trial',
      label: trialLabel(t, exp),
    }));
    const bx = result.baseline?.[objs[xi]!.name];
    const by = result.baseline?.[objs[yi]!.name];
    if (bx !== undefined && by !== undefined) pts.push({ x: bx, y: by, cls: 'baseline', label: 'uncompressed model' });
    if (pts.length) plots.push(scatter(`${objs[yi]!.name} vs ${objs[xi]!.name}`, objs[xi]!.name, objs[yi]!.name, pts));
  }
  const hv = scatter(
    'hypervolume over trials',
    'trial',
    'hypervolume',
    result.hypervolumeHistory.map((v, k) => ({ x: k + 1, y: v, cls: 'trial' as const, label: `after trial ${k}: ${v}` })),
    { line: true, w: 560, linear: true },
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
svg{font:11px system-ui,sans-serif;margin:6px 10px 6px 0;background:#fff}
svg .title{font-weight:600;font-size:12px}svg .lab{font-size:12px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}
td.cfg{text-align:left;font-size:11px;color:#444}tr.knee{background:#fef3c7}tr.base{background:#f3f4f6}
.legend span{margin-right:16px}.muted{color:#666}
</style></head><body>
<h1>edgefit search — ${esc(exp.name)}</h1>
<p>${esc(exp.description ?? '')}</p>
<p class="muted">study <b>${esc(result.study.id)}</b> · sampler ${esc(result.study.sampler)} · seed ${result.study.seed} · ${result.trials} trials (${result.completed} complete, ${result.pruned} pruned, ${result.failed} failed) · ${result.seconds.toFixed(1)} s<br>
model ${esc(exp.zoo ?? exp.modelPath)} · dataset ${esc(exp.dataset)} · targets ${esc(exp.targets.map((t) => t.name).join(', ') || 'none')} · constraints: ${constraints}<br>
hypervolume <b>${esc(result.hypervolume.toPrecision(6))}</b> (reference ${esc(result.reference.map((r) => short(r)).join(', '))}) · validation on ${esc(result.front[0]?.metrics.validationSamples ?? exp.fidelity.validationSubset ?? 'all')} samples; test figures from the held-out test split on the front only</p>
<h2>Front (${result.front.length} models; ★ knee-point recommendation)</h2>
${result.baseline ? `<p>${result.front.filter((f) => f.beatsBaseline).length} of them beat the uncompressed model (no worse on every minimized objective, better on one, within 1 point of its accuracy).</p>` : ''}
<table><tr><th>trial</th>${uniqueCols.map((c) => `<th>${esc(c)}</th>`).join('')}<th>passes</th><th>config</th><th>model</th></tr>
${baseRow}
${rows}
</table>
<h2>Pareto plots</h2>
<p class="legend"><span style="color:#2563eb">● front</span><span style="color:#f59e0b">▲ knee</span><span style="color:#9ca3af">● other trials</span><span style="color:#ef4444">○ infeasible</span><span>✕ uncompressed</span></p>
${plots.join('\n')}
<h2>Hypervolume over trials</h2>
${hv}
<h2>Parallel coordinates of the front</h2>
${parallel(exp, result)}
</body></html>
`;
}
