// `event send`: an event stored and its first attempts queued exactly as the
// API's POST /apps/{app}/events does (same reading of the body, same
// ingestion); the worker sends it.
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { z } from "zod";
import { MalformedRequestError, PayloadTooLargeError, validate } from "../../lib/api/request";
import { resolveAppId } from "../../lib/apps/apps";
import { readEventRequest } from "../../lib/events/event-request";
import { idempotencyKeySchema, toEventResource } from "../../lib/events/events";
import { answer, CliError, flagsOf, required, table, type Command } from "./command";

/** The request body the API would get: the payload's text goes in as it is, so it is kept byte for byte. */
function eventBody(eventType: string, payload: string, eventId: string | undefined): string {
  const id = eventId === undefined ? "" : `,"eventId":${JSON.stringify(eventId)}`;
  return `{"eventType":${JSON.stringify(eventType)},"payload":${payload}${id}}`;
}

function payloadText(flag: string): string {
  return flag === "-" ? readFileSync(0, "utf8") : flag;
}

export const eventCommands: Record<string, Command> = {
  "event send": {
    usage: "event send --app APP --type TYPE --payload JSON|- [--event-id ID] [--idempotency-key KEY] [--json]",
    summary: "Accept an event as the API does (- reads the payload from standard input); the worker sends it",
    flags: {
      app: "--app",
      eventType: "--type",
      payload: "--payload",
      eventId: "--event-id",
      "idempotency-key": "--idempotency-key",
    },
    async run(args, cli) {
      const { values } = flagsOf(args, {
        app: { type: "string" },
        type: { type: "string" },
        payload: { type: "string" },
        "event-id": { type: "string" },
        "idempotency-key": { type: "string" },
      });
      const appRef = required(values.app, "--app");
      const payload = payloadText(required(values.payload, "--payload"));
      const body = eventBody(required(values.type, "--type"), payload, values["event-id"]);
      const idempotencyKey = values["idempotency-key"];
      validate(z.object({ "idempotency-key": idempotencyKeySchema }), { "idempotency-key": idempotencyKey });
      const request = await readEventRequest({
        method: "POST",
        url: "cli:event-send",
        headers: new Headers(idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey }),
        body: Readable.from([Buffer.from(body, "utf8")]),
      }).catch((error: unknown) => {
        // The body as a whole is refused (not JSON, too large): only the payload's text can be the cause.
        if (error instanceof MalformedRequestError || error instanceof PayloadTooLargeError) {
          // A position in the body would mislead: the body is not what was typed.
          const message = error.message
            .replace(/^request body/, "the payload")
            .replace(/ in JSON at position \d+.*$/, "");
          throw new CliError(`--payload: ${message}`);
        }
        throw error;
      });
      // Text such as `{},"eventId":"x"` would be valid JSON once in the body: the payload must be all of it.
      if (request.input.payload !== payload.trim()) throw new CliError("--payload: must be one JSON object");
      const app = { id: await resolveAppId(cli.db(), appRef) };
      const { event, created, deliveryIds } = await cli.ingestion().ingest({ app, ...request, trace: undefined });
      const resource = { ...toEventResource(event), duplicate: !created, deliveryIds };
      answer(values.json, resource, () =>
        [
          table(
            ["ID", "TYPE", "CREATED", "DELIVERIES"],
            [[event.id, event.eventType, resource.createdAt, String(deliveryIds.length)]],
          ),
          created
            ? `Queued ${deliveryIds.length === 1 ? "1 delivery; the worker sends it" : `${deliveryIds.length} deliveries; the worker sends them`}.`
            : "Not stored again: this idempotency key (or event id) names the event above.",
        ].join("\n"),
      );
    },
  },
};
