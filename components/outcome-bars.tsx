// Successes and failures per time bucket as stacked bars in plain SVG:
// an endpoint's last day by the hour, the system's attempts by the minute.
export interface OutcomeBucket {
  /** Start of the bucket, ISO. */
  start: string;
  succeeded: number;
  failed: number;
}

export interface OutcomeTotals {
  succeeded: number;
  failed: number;
  /** The fullest bucket, which sets the scale. */
  peak: number;
}

export function OutcomeBars({
  buckets,
  width,
  height,
  stretch = false,
  label,
}: {
  buckets: OutcomeBucket[];
  width: number;
  height: number;
  /** Fill the panel's width instead of keeping `width` pixels. */
  stretch?: boolean;
  label: (totals: OutcomeTotals) => string;
}) {
  const peak = Math.max(1, ...buckets.map((bucket) => bucket.succeeded + bucket.failed));
  const slot = width / Math.max(1, buckets.length);
  const bar = Math.max(1, slot - 1);
  const failed = buckets.reduce((sum, bucket) => sum + bucket.failed, 0);
  const succeeded = buckets.reduce((sum, bucket) => sum + bucket.succeeded, 0);
  return (
    <svg
      className={stretch ? "chart wide" : "chart"}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio={stretch ? "none" : undefined}
      width={stretch ? "100%" : width}
      height={height}
      role="img"
      aria-label={label({ succeeded, failed, peak })}
    >
      <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} stroke="#e3e4e8" />
      {buckets.map((bucket, index) => {
        const okHeight = (bucket.succeeded / peak) * (height - 2);
        const badHeight = (bucket.failed / peak) * (height - 2);
        const x = index * slot;
        return (
          <g key={bucket.start}>
            <title>{`${new Date(bucket.start).toUTCString()}: ${bucket.succeeded} succeeded, ${bucket.failed} failed`}</title>
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
