"use client";
// The zone every time on the dashboard is shown and entered in: the
// browser's own, or UTC, as the reader chooses. The choice is kept in the
// browser. The server renders UTC, as it cannot know the reader's zone; the
// page switches to the chosen zone once it runs.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";

export type Zone = "local" | "utc";

interface TimeZoneState {
  zone: Zone;
  /** The zone's name as people read it: "UTC", or the browser's, e.g. "Europe/Berlin". */
  label: string;
  setZone: (zone: Zone) => void;
}

const STORAGE_KEY = "hookpost.timeZone";

const TimeZoneContext = createContext<TimeZoneState>({ zone: "utc", label: "UTC", setZone: () => {} });

function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "local time";
}

export function TimeZoneProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ zone: Zone; label: string }>({ zone: "utc", label: "UTC" });
  const apply = useCallback((zone: Zone) => {
    setState({ zone, label: zone === "utc" ? "UTC" : localZoneName() });
  }, []);
  useEffect(() => {
    apply(localStorage.getItem(STORAGE_KEY) === "utc" ? "utc" : "local");
  }, [apply]);
  const setZone = useCallback(
    (zone: Zone) => {
      localStorage.setItem(STORAGE_KEY, zone);
      apply(zone);
    },
    [apply],
  );
  return <TimeZoneContext.Provider value={{ ...state, setZone }}>{children}</TimeZoneContext.Provider>;
}

export function useTimeZone(): TimeZoneState {
  return useContext(TimeZoneContext);
}

/** Switches every time on the page between the browser's zone and UTC. */
export function TimeZoneSwitch() {
  const { zone, label, setZone } = useTimeZone();
  const other: Zone = zone === "utc" ? "local" : "utc";
  return (
    <button
      type="button"
      className="link zone-switch"
      aria-label={other === "utc" ? "Show times in UTC" : "Show times in local time"}
      onClick={() => setZone(other)}
      suppressHydrationWarning
    >
      Times: {label}
    </button>
  );
}

const pad = (value: number) => String(value).padStart(2, "0");

/** The parts of a date in the zone: the browser's, or UTC. */
function partsIn(date: Date, zone: Zone) {
  return zone === "utc"
    ? [
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        date.getUTCHours(),
        date.getUTCMinutes(),
        date.getUTCSeconds(),
      ]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
}

/** "2026-12-05 17:42:10 UTC", or with the browser's offset ("GMT+1") in local time. */
export function formatExact(iso: string, zone: Zone): string {
  const date = new Date(iso);
  const [year, month, day, hour, minute, second] = partsIn(date, zone).map(pad);
  const offset =
    zone === "utc"
      ? "UTC"
      : (new Intl.DateTimeFormat("en", { timeZoneName: "short" })
          .formatToParts(date)
          .find((part) => part.type === "timeZoneName")?.value ?? "");
  return `${year}-${month}-${day} ${hour}:${minute}:${second} ${offset}`;
}

/** A date as a datetime-local input's value, in the zone. */
export function toInputValue(date: Date, zone: Zone): string {
  const [year, month, day, hour, minute] = partsIn(date, zone).map(pad);
  return `${year}-${month}-${day}T${hour}:${minute}`;
}

/** A datetime-local input's value, read in the zone, as an ISO time; "" when empty or not a time. */
export function fromInputValue(value: FormDataEntryValue | null, zone: Zone): string {
  if (typeof value !== "string" || value === "") return "";
  const date = new Date(zone === "utc" ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}
