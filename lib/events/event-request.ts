// What a request to create an event says, read and checked once for every
// way in: the API's route (server/create-event.ts) and the CLI's
// `event send`, which hands it the same request body.
import { readJsonKeeping, validate, type ApiRequest } from "../api/request";
import { createEventSchema, idempotencyKeySchema, type NewEvent } from "./events";

export interface EventRequest {
  /** The payload is its own source text, as the producer wrote it. */
  input: NewEvent & { payload: string };
  idempotencyKey: string | undefined;
}

/** The event a request asks for: its body checked as JSON and its fields, and its `Idempotency-Key` header. */
export async function readEventRequest(req: ApiRequest): Promise<EventRequest> {
  const idempotencyKey = validate(idempotencyKeySchema, req.headers.get("idempotency-key") ?? undefined);
  const { input, source } = await readJsonKeeping(req, createEventSchema, "payload");
  // The schema requires a payload, so its source text is there.
  return { input: { ...input, payload: source! }, idempotencyKey };
}
