// Reading Prometheus text exposition in tests.

/** The value of one series (name with its labels, as exposed), or undefined when it is not exposed. */
export function seriesValue(metrics: string, series: string): number | undefined {
  const line = metrics.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
