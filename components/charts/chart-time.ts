// How the charts write times: in the zone the reader chose (components/time-zone.tsx).
import { formatExact, type Zone } from "../time-zone";

/** "17:40": an axis tick. */
export function clockLabel(iso: string, zone: Zone): string {
  return formatExact(iso, zone).slice(11, 16);
}

/** "2026-12-05 17:40–17:50 UTC": the bucket a tooltip is about. */
export function bucketLabel(iso: string, minutes: number, zone: Zone): string {
  const start = formatExact(iso, zone);
  const end = formatExact(new Date(new Date(iso).getTime() + minutes * 60_000).toISOString(), zone);
  return `${start.slice(0, 16)}–${end.slice(11, 16)} ${start.slice(20)}`;
}

/** "10 minutes", "hour", "2 hours": what one bar covers. */
export function bucketName(minutes: number): string {
  if (minutes === 60) return "hour";
  if (minutes % 60 === 0) return `${minutes / 60} hours`;
  return minutes === 1 ? "minute" : `${minutes} minutes`;
}

/** "10-minute", "1-hour": a bucket's size as an adjective. */
export function bucketSize(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}-hour` : `${minutes}-minute`;
}

export const OUTCOME_COLOURS = { succeeded: "#40c057", failed: "#fa5252" } as const;

/** Labels beside a series' colour are written in the page's text colour, which reads at 4.5:1. */
export const CHART_TEXT = { color: "var(--text)" } as const;

/** Legend items in the order the series are drawn (Recharts sorts them by name otherwise). */
export const legendOrder = (item: { dataKey?: unknown }): number => (item.dataKey === "failed" ? 1 : 0);
