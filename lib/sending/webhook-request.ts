// What goes on the wire for one attempt, per Standard Webhooks.
import type { Endpoint, Event } from "@prisma/client";
import { customHeaders } from "../endpoints/headers";
import { signingSecrets } from "../endpoints/endpoints";
import { RawJson, stringifyWithRaw } from "../platform/json-source";
import { signatureHeader } from "./signing";
import { USER_AGENT } from "../platform/version";

export interface WebhookRequest {
  headers: Record<string, string>;
  /** The headers as kept in the attempt log: custom header values (often credentials) masked. */
  recordedHeaders: Record<string, string>;
  body: string;
}

const MASK = "[redacted]";

/**
 * The body is the same on every attempt; `webhook-id` is the event id, so
 * consumers deduplicate on it. Only the timestamp and signature change.
 * `payload` is JSON text, written into the body as `data` as it is: what
 * the producer sent arrives byte for byte, and the signature covers it.
 */
export function buildWebhookRequest(
  event: Pick<Event, "id" | "eventType" | "payload" | "createdAt">,
  endpoint: Pick<Endpoint, "secret" | "previousSecrets" | "headers">,
  now: Date,
  /** `traceparent` and `tracestate` continuing the producer's trace, when it sent one. */
  trace: Record<string, string> = {},
): WebhookRequest {
  const body = stringifyWithRaw({
    type: event.eventType,
    timestamp: event.createdAt.toISOString(),
    data: new RawJson(event.payload),
  });
  const custom = customHeaders(endpoint.headers);
  const standard = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": event.id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": signatureHeader(signingSecrets(endpoint, now), event.id, now, body),
    ...trace,
  };
  return {
    body,
    // The endpoint's own headers first: Hookpost's always win.
    headers: { ...custom, ...standard },
    recordedHeaders: { ...Object.fromEntries(Object.keys(custom).map((name) => [name, MASK])), ...standard },
  };
}
