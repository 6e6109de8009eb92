// A background task run every interval, as the worker's sweeper and
// scheduler are: one run at a time (a slow run is not overlapped by the
// next), a failed run reported and tried again next tick, and a stop that
// waits for the run in progress.

export interface Periodic {
  stop(): Promise<void>;
}

export function runPeriodically(
  intervalMs: number,
  run: () => Promise<unknown>,
  onError: (error: unknown) => void,
): Periodic {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = run()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
