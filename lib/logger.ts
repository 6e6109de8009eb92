// One pino logger per process; children carry the ids of what they log about.
import pino from "pino";

export function createLogger(service: "web" | "worker" | "cli") {
  return pino({
    level: process.env.LOG_LEVEL ?? "info",
    base: { service },
    // Secrets never belong in logs; these paths catch the obvious carriers.
    redact: ["secret", "*.secret", "headers.authorization", "*.headers.authorization"],
  });
}

export type Logger = pino.Logger;
