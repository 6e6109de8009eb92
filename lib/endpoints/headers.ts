// Custom headers an endpoint's owner asks Hookpost to send (an auth token
// of their gateway, say). They may not override what the protocol needs.
import { z } from "zod";

const MAX_HEADERS = 20;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const RESERVED = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "content-type",
  "content-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-connection",
  "user-agent",
]);

export function reservedHeaderProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!TOKEN.test(name)) return `"${name}" is not a valid header name`;
  if (RESERVED.has(lower) || lower.startsWith("webhook-"))
    return `"${name}" is set by Hookpost and cannot be overridden`;
  return undefined;
}

export const endpointHeadersSchema = z.record(z.string().max(256), z.string().max(4096)).superRefine((headers, ctx) => {
  const names = Object.keys(headers);
  if (names.length > MAX_HEADERS) ctx.addIssue({ code: "custom", message: `at most ${MAX_HEADERS} headers` });
  for (const [name, value] of Object.entries(headers)) {
    const problem = reservedHeaderProblem(name);
    if (problem) ctx.addIssue({ code: "custom", path: [name], message: problem });
    // CR or LF would let a value smuggle in headers of its own.
    if (/[\r\n\0]/.test(value))
      ctx.addIssue({ code: "custom", path: [name], message: "header values cannot contain CR, LF or NUL" });
  }
});

export type EndpointHeaders = z.infer<typeof endpointHeadersSchema>;

/** The body of a request setting an endpoint's custom headers, and of the answer reading them. */
export const endpointHeadersBodySchema = z
  .object({
    headers: endpointHeadersSchema.meta({
      description: `Header name to value, at most ${MAX_HEADERS}; Hookpost's own headers (\`webhook-*\`, \`content-type\`...) cannot be set`,
      example: { Authorization: "Bearer gateway-token" },
    }),
  })
  .meta({ id: "EndpointHeaders" });

/** Stored headers, re-checked on the way out: the database is not trusted to hold only valid ones. */
export function customHeaders(stored: unknown): EndpointHeaders {
  const parsed = endpointHeadersSchema.safeParse(stored);
  return parsed.success ? parsed.data : {};
}
