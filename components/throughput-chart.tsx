// Attempts per minute, successes below failures, in plain SVG that scales
// to the width of its panel.
import type { MinuteBucket } from "@/lib/system-stats";

export function ThroughputChart({ buckets, height = 140 }: { buckets: MinuteBucket[]; height?: number }) {
  const width = 720;
  const max = Math.max(1, ...buckets.map((b) => b.succeeded + b.failed));
  const slot = width / Math.max(1, buckets.length);
  const bar = Math.max(1, slot - 1);
  const total = buckets.reduce((sum, b) => sum + b.succeeded + b.failed, 0);
  const failed = buckets.reduce((sum, b) => sum + b.failed, 0);
  return (
    <svg
      className="chart wide"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      width="100%"
      height={height}
      role="img"
      aria-label={`Attempts per minute: ${total - failed} succeeded, ${failed} failed, peak ${max} per minute`}
    >
      <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} stroke="#e3e4e8" />
      {buckets.map((bucket, index) => {
        const ok = (bucket.succeeded / max) * (height - 4);
        const bad = (bucket.failed / max) * (height - 4);
        const x = index * slot;
        return (
          <g key={bucket.minute}>
            <title>{`${new Date(bucket.minute).toUTCString()}: ${bucket.succeeded} succeeded, ${bucket.failed} failed`}</title>
            {ok > 0 && <rect x={x} y={height - 1 - ok} width={bar} height={ok} fill="#69db7c" />}
            {bad > 0 && <rect x={x} y={height - 1 - ok - bad} width={bar} height={bad} fill="#ff8787" />}
          </g>
        );
      })}
    </svg>
  );
}
