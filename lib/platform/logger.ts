// One pino logger per process; children carry the ids of what they log about.
import pino from "pino";

/**
 * Lines are collected and written together, once 8 KiB have gathered or
 * 200 ms after the first of them. Written one by one, every request and
 * every attempt would cost a system call and a wakeup of whatever reads the
 * output. pino writes what is left when the process exits; only a SIGKILL
 * loses the last 200 ms.
 */
const BUFFER_BYTES = 8 * 1024;
const FLUSH_INTERVAL_MS = 200;

/**
 * What PostgreSQL's errors carry of the values a statement held: `detail`
 * ("Failing row contains (...)"), `where` ("JSON data, line 1: ..."), the
 * statement itself. Payloads are not logged, so these never are.
 */
const VALUE_CARRIERS = ["detail", "where", "hint", "internalQuery", "query", "parameters"];

/** pino's error serializer, less the values PostgreSQL quotes, in the error and in any error it holds. */
function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  const strip = (value: unknown, depth: number) => {
    if (typeof value !== "object" || value === null || depth > 4) return;
    for (const key of VALUE_CARRIERS) delete (value as Record<string, unknown>)[key];
    for (const child of Object.values(value)) strip(child, depth + 1);
  };
  strip(serialized, 0);
  return serialized;
}

export function createLogger(service: "web" | "worker" | "cli") {
  const destination = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
  // Bytes handed to the destination and not yet written. A flush while a
  // write is under way does nothing, so the next tick tries again until the
  // count is back at zero; a flag cleared at each tick would strand the lines
  // logged during that write until the next log line.
  let unwrittenBytes = 0;
  destination.on("write", (written: number) => {
    unwrittenBytes = Math.max(0, unwrittenBytes - written);
  });
  setInterval(() => {
    if (unwrittenBytes > 0) destination.flush();
  }, FLUSH_INTERVAL_MS).unref();
  return pino(
    {
      level: process.env.LOG_LEVEL ?? "info",
      base: { service },
      serializers: { err: serializeError },
      // Secrets never belong in logs; these paths catch the obvious carriers.
      redact: ["secret", "*.secret", "headers.authorization", "*.headers.authorization"],
      hooks: {
        streamWrite(line) {
          unwrittenBytes += Buffer.byteLength(line);
          return line;
        },
      },
    },
    destination,
  );
}

export type Logger = pino.Logger;
