// What goes on the wire for one attempt, per Standard Webhooks.
import type { Endpoint, Event } from "@prisma/client";
import { z } from "zod";
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

/** The body of every webhook request, as the API's description shows it to receivers. */
export const webhookBodySchema = z
  .object({
    type: z.string().meta({ description: "The event's type", example: "invoice.paid" }),
    timestamp: z.iso.datetime().meta({ description: "When the event was accepted" }),
    data: z
      .record(z.string(), z.unknown())
      .meta({ description: "The event's payload, byte for byte as its producer sent it", example: { invoice: 42 } }),
  })
  .meta({ id: "WebhookBody" });

/** The Standard Webhooks headers of every webhook request, besides the endpoint's own custom headers. */
export const webhookHeadersSchema = z.object({
  "webhook-id": z.string().meta({
    description: "The event's id, the same on every attempt: deduplicate on it",
    example: "event_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C",
  }),
  "webhook-timestamp": z.string().meta({
    description: "When this attempt was signed, in seconds since the epoch; refuse old ones",
    example: "1767225600",
  }),
  "webhook-signature": z.string().meta({
    description:
      "`v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the secret's bytes (the base64 after `whsec_`); during a rotation one per signing secret, space-separated",
    example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
  }),
});

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
