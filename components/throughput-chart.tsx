// Attempts per minute across every endpoint, scaled to the width of its panel.
import type { MinuteBucket } from "@/lib/dashboard/system-stats";
import { OutcomeBars } from "./outcome-bars";

export function ThroughputChart({ buckets, height = 140 }: { buckets: MinuteBucket[]; height?: number }) {
  return (
    <OutcomeBars
      buckets={buckets.map(({ minute, succeeded, failed }) => ({ start: minute, succeeded, failed }))}
      width={720}
      height={height}
      stretch
      label={({ succeeded, failed, peak }) =>
        `Attempts per minute: ${succeeded} succeeded, ${failed} failed, peak ${peak} per minute`
      }
    />
  );
}
