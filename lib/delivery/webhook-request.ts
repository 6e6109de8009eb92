// What goes on the wire for one attempt, per Standard Webhooks.
import type { Endpoint, Event } from "@prisma/client";
import { signingSecrets } from "../endpoints";
import { signatureHeader } from "../signing";
import { USER_AGENT } from "../version";

export interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * The body is the same on every attempt; `webhook-id` is the event id, so
 * consumers deduplicate on it. Only the timestamp and signature change.
 */
export function buildWebhookRequest(
  event: Pick<Event, "id" | "eventType" | "payload" | "createdAt">,
  endpoint: Pick<Endpoint, "secret" | "previousSecret" | "previousSecretExpiresAt">,
  now: Date,
): WebhookRequest {
  const body = JSON.stringify({ type: event.eventType, timestamp: event.createdAt.toISOString(), data: event.payload });
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": event.id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signatureHeader(signingSecrets(endpoint, now), event.id, now, body),
    },
  };
}
