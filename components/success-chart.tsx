// An endpoint's successes and failures per hour over the last day: small
// enough for a table cell, readable on a phone.
import type { HourBucket } from "@/lib/dashboard/endpoints";
import { OutcomeBars } from "./outcome-bars";

export function SuccessChart({
  buckets,
  width = 168,
  height = 36,
}: {
  buckets: HourBucket[];
  width?: number;
  height?: number;
}) {
  return (
    <OutcomeBars
      buckets={buckets.map(({ hour, succeeded, failed }) => ({ start: hour, succeeded, failed }))}
      width={width}
      height={height}
      label={({ succeeded, failed }) => `Last 24 hours: ${succeeded} succeeded, ${failed} failed`}
    />
  );
}
