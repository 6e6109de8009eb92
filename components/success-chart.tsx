// Successes and failures per hour over the last day, as stacked bars in
// plain SVG: small enough for a table cell, readable on a phone.
import type { HourBucket } from "@/lib/dashboard/endpoints";

export function SuccessChart({
  buckets,
  width = 168,
  height = 36,
}: {
  buckets: HourBucket[];
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...buckets.map((bucket) => bucket.succeeded + bucket.failed));
  const slot = width / Math.max(1, buckets.length);
  const bar = Math.max(1, slot - 1);
  const total = buckets.reduce((sum, bucket) => sum + bucket.succeeded + bucket.failed, 0);
  const failed = buckets.reduce((sum, bucket) => sum + bucket.failed, 0);
  return (
    <svg
      className="chart"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Last 24 hours: ${total - failed} succeeded, ${failed} failed`}
    >
      <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} stroke="#e3e4e8" />
      {buckets.map((bucket, index) => {
        const okHeight = (bucket.succeeded / max) * (height - 2);
        const badHeight = (bucket.failed / max) * (height - 2);
        const x = index * slot;
        return (
          <g key={bucket.hour}>
            <title>{`${new Date(bucket.hour).toUTCString()}: ${bucket.succeeded} succeeded, ${bucket.failed} failed`}</title>
            {okHeight > 0 && <rect x={x} y={height - 1 - okHeight} width={bar} height={okHeight} fill="#69db7c" />}
            {badHeight > 0 && (
              <rect x={x} y={height - 1 - okHeight - badHeight} width={bar} height={badHeight} fill="#ff8787" />
            )}
          </g>
        );
      })}
    </svg>
  );
}
