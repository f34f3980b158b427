/**
 * How many data items of one series a chart of the report drew, read from
 * the SVG itself: ECharts' server-side renderer tags each data item's mark
 * with `ecmeta_series_index` / `ecmeta_data_index` and `ecmeta_ssr_type="chart"`
 * (legend icons carry "legend"). For tests of the report.
 */
export function drawnItems(svg: string, seriesIndex: number): number {
  const re = new RegExp(`ecmeta_series_index="${seriesIndex}" ecmeta_data_index="(\\d+)" ecmeta_ssr_type="chart"`, 'g');
  return new Set([...svg.matchAll(re)].map((m) => m[1])).size;
}
