// One pino logger per process; children carry the ids of what they log about.
import pino from "pino";

/**
 * Lines are collected and written together, once 8 KiB have gathered or
 * 200 ms after the first of them. Written one by one, every request and
 * every attempt cost a system call and a wakeup of whatever reads the
 * output. pino writes what is left when the process exits; only a SIGKILL
 * loses the last 200 ms.
 */
const BUFFER_BYTES = 8 * 1024;
const FLUSH_INTERVAL_MS = 200;

export function createLogger(service: "web" | "worker" | "cli") {
  const destination = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
  let unwritten = false;
  setInterval(() => {
    if (!unwritten) return;
    unwritten = false;
    destination.flush();
  }, FLUSH_INTERVAL_MS).unref();
  return pino(
    {
      level: process.env.LOG_LEVEL ?? "info",
      base: { service },
      // Secrets never belong in logs; these paths catch the obvious carriers.
      redact: ["secret", "*.secret", "headers.authorization", "*.headers.authorization"],
      hooks: {
        streamWrite(line) {
          unwritten = true;
          return line;
        },
      },
    },
    destination,
  );
}

export type Logger = pino.Logger;
