// What every scenario is given: the running stack, an API client, the
// run's options and the report its figures go to.
import type { Api } from "./load";
import type { Report } from "./report";
import type { Stack } from "./stack";

export interface BenchOptions {
  /** Length of each measured phase. */
  seconds: number;
  /** The workers' WORKER_CONCURRENCY, and the ceiling's. */
  concurrency: number;
  /** Back-to-back clients of the closed-loop phases (scenario 2, soak). */
  ingestClients: number;
  soakSeconds: number;
  /** Attempts seeded into the log of scenario 5, over 30 days. */
  logAttempts: number;
  /** Load sent before a phase is measured. */
  warmupSeconds: number;
  /** The run's start time, as used in file names and raw row ids. */
  stamp: string;
}

export interface Bench {
  stack: Stack;
  api: Api;
  options: BenchOptions;
  report: Report;
}
