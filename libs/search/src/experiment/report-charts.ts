import * as echarts from 'echarts/core';
import { LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, ParallelComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { PARALLEL_SERIES, PARETO_SERIES, type ParetoSeries, type ScatterPoint } from './report-series.js';

/**
 * The plots of the search report, drawn by Apache ECharts on the server:
 * each chart is rendered once to an SVG string (`ssr: true`), so the report
 * is a plain HTML file with inline SVG — no script, nothing fetched when it
 * is opened. Only the chart kinds used here are registered. Loading ECharts
 * takes about a second, so html-report.ts imports this module only when a
 * report is written.
 */
echarts.use([ScatterChart, LineChart, ParallelChart, GridComponent, LegendComponent, ParallelComponent, TitleComponent, SVGRenderer]);

const COLORS = { trial: '#9ca3af', infeasible: '#ef4444', front: '#2563eb', knee: '#f59e0b', base: '#111111' };
const FONT = { fontFamily: 'system-ui, sans-serif' };

/** One chart option → an SVG document string. */
export function renderSvg(option: EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: FONT, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Compact tick labels: 230k, 1.2M, 0.0763, 0.965 (three significant digits, so ticks 0.005 apart stay distinct). */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a === 0) return '0';
  return String(+v.toPrecision(3));
}

/** A log axis when the values are positive and span more than 30x (packed sizes of 2-bit and fp32 models), else linear. */
function valueAxis(values: readonly number[], name: string) {
  const finite = values.filter(Number.isFinite);
  const log = finite.length > 1 && Math.min(...finite) > 0 && Math.max(...finite) / Math.min(...finite) > 30;
  return {
    type: log ? 'log' : 'value',
    name: log ? `${name} (log)` : name,
    scale: true,
    axisLabel: { formatter: (v: number) => shortNumber(v) },
    splitLine: { lineStyle: { color: '#eee' } },
  } as const;
}

const trialLabel = { show: true, position: 'right', distance: 3, fontSize: 9, color: '#374151', formatter: (p: { value: unknown[] }) => String(p.value[2] ?? '') };

/** Scatter of every completed trial in one objective pair; the front, knee and uncompressed model marked. */
export function paretoChart(title: string, xName: string, yName: string, points: readonly ScatterPoint[], width = 460, height = 340): string {
  const style: Record<ParetoSeries, object> = {
    'other trials': { symbolSize: 6, itemStyle: { color: COLORS.trial, opacity: 0.7 } },
    infeasible: { symbolSize: 6, symbol: 'emptyCircle', itemStyle: { color: COLORS.infeasible } },
    front: { symbolSize: 9, itemStyle: { color: COLORS.front }, label: trialLabel },
    knee: { symbolSize: 16, symbol: 'triangle', itemStyle: { color: COLORS.knee, borderColor: '#92400e' }, label: { ...trialLabel, fontWeight: 'bold' } },
    uncompressed: { symbolSize: 14, symbol: 'diamond', itemStyle: { color: COLORS.base } },
  };
  return renderSvg(
    {
      title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13 } },
      legend: { top: 26, itemWidth: 12, itemHeight: 10, itemGap: 18, textStyle: { fontSize: 11 } },
      grid: { left: 64, right: 28, top: 64, bottom: 52 },
      xAxis: { ...valueAxis(points.map((p) => p.x), xName), nameLocation: 'middle', nameGap: 30 },
      yAxis: { ...valueAxis(points.map((p) => p.y), yName), nameLocation: 'middle', nameGap: 48 },
      series: PARETO_SERIES.map((name) => ({
        type: 'scatter',
        name,
        ...style[name],
        data: points.filter((p) => p.series === name).map((p) => [p.x, p.y, p.trial ?? '']),
      })),
      labelLayout: { hideOverlap: true },
    },
    width,
    height,
  );
}

/** Hypervolume of the feasible trials after each finished trial (a step curve). */
export function hypervolumeChart(history: readonly number[], width = 620, height = 300): string {
  return renderSvg(
    {
      title: { text: 'hypervolume over trials', left: 8, top: 4, textStyle: { fontSize: 13 } },
      grid: { left: 72, right: 28, top: 40, bottom: 48 },
      xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 28, min: 1, max: Math.max(history.length, 2) },
      yAxis: { type: 'value', name: 'hypervolume', nameLocation: 'middle', nameGap: 56, axisLabel: { formatter: (v: number) => shortNumber(v) } },
      series: [{ type: 'line', name: 'hypervolume', step: 'end', showSymbol: false, lineStyle: { color: COLORS.front, width: 2 }, data: history.map((v, k) => [k + 1, v]) }],
    },
    width,
    height,
  );
}

export interface ParallelAxis {
  name: string;
  /** Which way is better, shown under the name. */
  direction: 'minimize' | 'maximize';
}

/** Parallel coordinates of the front: one line per front model, the knee and the uncompressed model drawn on top. */
export function parallelChart(axes: readonly ParallelAxis[], front: readonly (number | undefined)[][], knee: (number | undefined)[] | undefined, baseline: (number | undefined)[] | undefined): string {
  const width = Math.max(520, 170 * axes.length);
  const row = (vals: readonly (number | undefined)[]) => vals.map((v) => (v === undefined || !Number.isFinite(v) ? '-' : v));
  const all = [...front, ...(knee ? [knee] : []), ...(baseline ? [baseline] : [])];
  return renderSvg(
    {
      legend: { top: 4, itemGap: 18, textStyle: { fontSize: 11 } },
      parallel: { left: 80, right: 90, top: 84, bottom: 30 },
      parallelAxis: axes.map((a, dim) => {
        const axis = valueAxis(all.map((r) => r[dim]).filter((v): v is number => v !== undefined), a.name);
        return { dim, ...axis, name: `${axis.name}\n${a.direction === 'maximize' ? '↑ better' : '↓ better'}`, nameTextStyle: { fontSize: 11 } };
      }),
      series: [
        { type: 'parallel', name: PARALLEL_SERIES[0], lineStyle: { color: COLORS.front, width: 1.5, opacity: 0.8 }, data: front.map(row) },
        { type: 'parallel', name: PARALLEL_SERIES[1], lineStyle: { color: COLORS.base, width: 2, type: 'dashed', opacity: 0.9 }, data: baseline ? [row(baseline)] : [] },
        { type: 'parallel', name: PARALLEL_SERIES[2], lineStyle: { color: COLORS.knee, width: 3.5, opacity: 1 }, data: knee ? [row(knee)] : [] },
      ],
    },
    width,
    320,
  );
}
