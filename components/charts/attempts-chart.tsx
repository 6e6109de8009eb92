"use client";
// Attempts per time bucket, succeeded and failed stacked, with a time axis
// in the reader's zone, a count axis, a legend and a tooltip per bar.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { OutcomeBucket } from "@/lib/dashboard/chart-buckets";
import { useTimeZone } from "../time-zone";
import { LEGEND_PROPS } from "./legend";
import { bucketLabel, bucketName, clockLabel, OUTCOME_COLOURS, CHART_TEXT } from "./chart-time";

export function AttemptsChart({
  buckets,
  bucketMinutes,
  height = 200,
}: {
  buckets: OutcomeBucket[];
  /** What one bucket covers, in minutes. */
  bucketMinutes: number;
  height?: number;
}) {
  const { zone } = useTimeZone();
  const succeeded = buckets.reduce((sum, bucket) => sum + bucket.succeeded, 0);
  const failed = buckets.reduce((sum, bucket) => sum + bucket.failed, 0);
  const title = `Attempts per ${bucketName(bucketMinutes)}`;
  return (
    <figure className="chart-figure" aria-label={`${title}: ${succeeded} succeeded, ${failed} failed`}>
      <BarChart
        responsive
        style={{ width: "100%", height }}
        data={buckets}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        barCategoryGap="15%"
      >
        <CartesianGrid vertical={false} stroke="#e3e4e8" />
        <XAxis
          dataKey="start"
          tickFormatter={(iso: string) => clockLabel(iso, zone)}
          minTickGap={16}
          tick={{ fontSize: 11 }}
        />
        <YAxis allowDecimals={false} width="auto" tick={{ fontSize: 11 }} />
        {/* Text in the page's colour: the series' own colours are too light to read as text. */}
        <Tooltip
          itemStyle={CHART_TEXT}
          labelFormatter={(iso) => (typeof iso === "string" ? bucketLabel(iso, bucketMinutes, zone) : iso)}
          cursor={{ fill: "rgba(59, 91, 219, 0.08)" }}
        />
        <Legend {...LEGEND_PROPS} />
        <Bar
          dataKey="succeeded"
          name="Succeeded"
          stackId="outcome"
          fill={OUTCOME_COLOURS.succeeded}
          isAnimationActive={false}
        />
        <Bar dataKey="failed" name="Failed" stackId="outcome" fill={OUTCOME_COLOURS.failed} isAnimationActive={false} />
      </BarChart>
      <figcaption className="muted small">
        {succeeded} succeeded, {failed} failed
      </figcaption>
    </figure>
  );
}
