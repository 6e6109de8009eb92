"use client";
// A time shown exactly, with its zone, and relative to now ("3 minutes
// ago") beside it: someone matching it against their own logs needs the
// first, someone asking "is this the one I just sent?" the second.
import { useEffect, useState } from "react";
import { formatExact, useTimeZone } from "./time-zone";

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1_000],
];

const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function relativeTime(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === "second") return format.format(Math.round(diff / size), unit);
  }
  return iso;
}

export function TimeAgo({ iso }: { iso: string | null }) {
  const { zone } = useTimeZone();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  if (!iso) return <span className="muted">never</span>;
  return (
    <time className="when" dateTime={iso} suppressHydrationWarning>
      <span className="exact" suppressHydrationWarning>
        {formatExact(iso, zone)}
      </span>{" "}
      <span className="relative" suppressHydrationWarning>
        ({relativeTime(iso, now)})
      </span>
    </time>
  );
}
