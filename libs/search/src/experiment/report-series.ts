/**
 * The series of the report's charts, in drawing order. ECharts' server-side
 * SVG tags every drawn data item with its series' index in these lists
 * (`ecmeta_series_index`), which is how tests read a chart back. Kept apart
 * from report-charts.ts so that naming them does not load ECharts.
 */
export const PARETO_SERIES = ['other trials', 'infeasible', 'front', 'knee', 'uncompressed'] as const;
export type ParetoSeries = (typeof PARETO_SERIES)[number];
export const PARALLEL_SERIES = ['front', 'uncompressed', 'knee'] as const;

/** One completed trial (or the uncompressed model) in a Pareto plot. */
export interface ScatterPoint {
  x: number;
  y: number;
  series: ParetoSeries;
  /** Front and knee points are labelled with their trial number, the key of the front table. */
  trial?: number;
}
