// Recognises "PostgreSQL or Redis is not answering", which callers should
// see as 503 (try again) rather than 500 (our bug).
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "P1001", // Prisma: can't reach database server
  "P1017", // Prisma: server closed the connection
]);

// Raw queries ($queryRaw) report a lost database as P2010 "Raw query failed"
// with the cause only in the message, hence the message patterns.
const UNAVAILABLE_MESSAGES =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|Connection terminated|DatabaseNotReachable|Can't reach database server|Server has closed the connection|terminating connection due to administrator command|ECONNREFUSED|ECONNRESET/i;

export function isUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const { code, message, kind } = current as { code?: unknown; message?: unknown; kind?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof kind === "string" && UNAVAILABLE_MESSAGES.test(kind)) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
