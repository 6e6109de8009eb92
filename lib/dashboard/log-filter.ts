// The endpoint log's view state as it lives in the URL: parsed on the
// server, written by the client table. No server imports: both sides use it.
import { z } from "zod";

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const STATUS_FILTERS = ["succeeded", "failed", "pending"] as const;
export const CODE_CLASSES = ["2xx", "3xx", "4xx", "5xx", "timeout", "connection"] as const;

export const logFilterSchema = z.object({
  status: optional(z.enum(STATUS_FILTERS)),
  eventType: optional(z.string().max(256)),
  /** An HTTP status code ("503") or a class ("5xx", "timeout", "connection"). */
  code: optional(z.union([z.enum(CODE_CLASSES), z.string().regex(/^[1-5]\d\d$/, "a status code like 503")])),
  from: optional(z.iso.datetime({ offset: true })),
  to: optional(z.iso.datetime({ offset: true })),
  /** An event id (msg_...) or the sender's own eventId. */
  q: optional(z.string().trim().max(256)),
  sort: z.preprocess(blankToUndefined, z.enum(["desc", "asc"]).default("desc")),
  cursor: optional(z.string().max(200)),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(25)),
});

export type LogFilter = z.infer<typeof logFilterSchema>;

/** How many of the newest deliveries a live log reads each time: enough to say "100+ new". */
export const RECENT_DELIVERIES = 100;

/** The URL search string of a view, leaving defaults out. */
export function logFilterToSearch(filter: Partial<LogFilter>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === "") continue;
    if (key === "sort" && value === "desc") continue;
    if (key === "limit" && value === 25) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
