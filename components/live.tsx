"use client";
// Pages that follow what happens while they are open. A LiveProvider ticks
// every few seconds while it is live and the tab is shown: it re-renders the
// page's server components (router.refresh, through the same page code and
// so the same caller checks), and components that read something of their
// own (a delivery's attempts, a replay's progress) do so on each tick. The
// reader sees that the page is live and when it last changed, and can
// pause it.
import { useRouter } from "next/navigation";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useTransition,
  type ReactNode,
} from "react";
import { formatExact, useTimeZone } from "./time-zone";

interface LiveState {
  live: boolean;
  setLive: (live: boolean) => void;
  /** Counts the ticks: a component that reads its own data does so when it changes. */
  tick: number;
  /** When the page last got new data, ms since the epoch; null before it has run in the browser. */
  updatedAt: number | null;
  /** Says that a component's own read has just come back. */
  markUpdated: () => void;
}

const LiveContext = createContext<LiveState | null>(null);

function useLiveState(): LiveState {
  const state = useContext(LiveContext);
  if (!state) throw new Error("a live component is used outside a LiveProvider");
  return state;
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== "hidden");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

export function LiveProvider({
  intervalMs,
  refreshPage = false,
  children,
}: {
  intervalMs: number;
  /** Re-render the page's server components on each tick. */
  refreshPage?: boolean;
  children: ReactNode;
}) {
  const router = useRouter();
  const visible = usePageVisible();
  const [live, setLive] = useState(true);
  const [tick, setTick] = useState(0);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [refreshing, startRefresh] = useTransition();
  const wasRefreshing = useRef(false);

  const markUpdated = useCallback(() => setUpdatedAt(Date.now()), []);
  useEffect(markUpdated, [markUpdated]);

  // A refresh is done when its transition is: only then does the page show the new data.
  useEffect(() => {
    if (wasRefreshing.current && !refreshing) markUpdated();
    wasRefreshing.current = refreshing;
  }, [refreshing, markUpdated]);

  // Coming back (Resume, or the tab shown again), the page reads at once rather than an interval later.
  const running = live && visible;
  const wasRunning = useRef(running);
  const catchUp = useRef(false);
  useEffect(() => {
    if (running && !wasRunning.current) catchUp.current = true;
    wasRunning.current = running;
  }, [running]);

  // The next tick is set only once the last refresh has landed, so a slow server is not asked twice at once.
  useEffect(() => {
    if (!running || refreshing) return;
    const delay = catchUp.current ? 0 : intervalMs;
    catchUp.current = false;
    const timer = setTimeout(() => {
      if (refreshPage) startRefresh(() => router.refresh());
      setTick((count) => count + 1);
    }, delay);
    return () => clearTimeout(timer);
  }, [running, refreshing, tick, intervalMs, refreshPage, router]);

  return (
    <LiveContext.Provider value={{ live, setLive, tick, updatedAt, markUpdated }}>{children}</LiveContext.Provider>
  );
}

/** Whether the page is live, and a way to turn it on (after the reader asked for something to follow). */
export function useLive(): { live: boolean; setLive: (live: boolean) => void } {
  const { live, setLive } = useLiveState();
  return { live, setLive };
}

/**
 * Runs `read` on each tick while `active`; its coming back marks the page
 * updated. A tick that comes while the last read is still out is skipped.
 */
export function useLiveRead(read: () => Promise<void>, active = true): void {
  const { tick, markUpdated } = useLiveState();
  const latest = useRef(read);
  const reading = useRef(false);
  useEffect(() => {
    latest.current = read;
  }, [read]);
  useEffect(() => {
    if (tick === 0 || !active || reading.current) return;
    reading.current = true;
    void latest
      .current()
      .then(markUpdated)
      .finally(() => {
        reading.current = false;
      });
  }, [tick, active, markUpdated]);
}

/** "Live · updated 21:45:10 UTC" and the button that pauses or resumes it. */
export function LiveToggle() {
  const { live, setLive, updatedAt } = useLiveState();
  const { zone } = useTimeZone();
  return (
    <div className="live-toggle" role="group" aria-label="Live updates">
      <span className={live ? "live-dot on" : "live-dot"} aria-hidden="true" />
      <span className="small">
        {live ? "Live" : "Paused"}
        {updatedAt !== null && (
          <span className="muted" suppressHydrationWarning>
            {" "}
            · updated {formatExact(new Date(updatedAt).toISOString(), zone).slice(11)}
          </span>
        )}
      </span>
      <button
        type="button"
        className="copy"
        aria-label={live ? "Pause live updates" : "Resume live updates"}
        onClick={() => setLive(!live)}
      >
        {live ? "Pause" : "Resume"}
      </button>
    </div>
  );
}
