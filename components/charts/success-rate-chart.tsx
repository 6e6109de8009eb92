"use client";
// The share of attempts that succeeded, per time bucket, as a line on a
// 0-100 % axis; a bucket without attempts is a gap, not a zero.
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { successRate, type OutcomeBucket } from "@/lib/dashboard/chart-buckets";
import { useTimeZone } from "../time-zone";
import { LEGEND_PROPS } from "./legend";
import { bucketLabel, bucketName, bucketSize, clockLabel, OUTCOME_COLOURS, CHART_TEXT } from "./chart-time";

export function SuccessRateChart({
  buckets,
  bucketMinutes,
  height = 180,
}: {
  buckets: OutcomeBucket[];
  bucketMinutes: number;
  height?: number;
}) {
  const { zone } = useTimeZone();
  const data = buckets.map((bucket) => {
    const rate = successRate(bucket);
    return { start: bucket.start, rate: rate === null ? null : Math.round(rate * 1000) / 10 };
  });
  const rated = data.filter((point) => point.rate !== null);
  const lowest = rated.length === 0 ? null : Math.min(...rated.map((point) => point.rate!));
  return (
    <figure
      className="chart-figure"
      aria-label={`Success rate per ${bucketName(bucketMinutes)}${lowest === null ? ": no attempts" : `: lowest ${lowest}%`}`}
    >
      <LineChart
        responsive
        style={{ width: "100%", height }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid vertical={false} stroke="#e3e4e8" />
        <XAxis
          dataKey="start"
          tickFormatter={(iso: string) => clockLabel(iso, zone)}
          minTickGap={16}
          tick={{ fontSize: 11 }}
        />
        <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" width="auto" tick={{ fontSize: 11 }} />
        {/* Text in the page's colour: the series' own colours are too light to read as text. */}
        <Tooltip
          itemStyle={CHART_TEXT}
          labelFormatter={(iso) => (typeof iso === "string" ? bucketLabel(iso, bucketMinutes, zone) : iso)}
          formatter={(value) => [`${String(value)}%`, "Succeeded"]}
        />
        <Legend {...LEGEND_PROPS} />
        <Line
          dataKey="rate"
          name="Success rate"
          type="linear"
          stroke={OUTCOME_COLOURS.succeeded}
          strokeWidth={2}
          dot={{ r: 2 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      </LineChart>
      <figcaption className="muted small">
        {lowest === null
          ? "No attempts in this window."
          : `Lowest ${lowest}% of any ${bucketSize(bucketMinutes)} bucket.`}
      </figcaption>
    </figure>
  );
}
