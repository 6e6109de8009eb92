// The API's OpenAPI 3.1 description, made from the zod schemas the routes
// validate requests with and the ones their answers are typed by, each kept
// in its concept's folder: a change to a route's input or output changes
// this document with it. Served at /api/v1/openapi.json and rendered at
// /docs/api; tests/integration/openapi.test.ts holds every route's real
// answers to it.
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from "zod-openapi";
import { appSchema, createAppSchema, updateAppSchema } from "../apps/apps";
import { portalAccessSchema } from "../auth/portal";
import { attemptSchema, deliverySchema } from "../deliveries/deliveries";
import { retryQueuedSchema } from "../deliveries/retry";
import {
  createEndpointSchema,
  endpointSchema,
  endpointSecretSchema,
  rotateSecretSchema,
  rotationSchema,
  updateEndpointSchema,
} from "../endpoints/endpoints";
import { endpointHeadersBodySchema } from "../endpoints/headers";
import { createEventSchema, eventSchema, idempotencyKeySchema } from "../events/events";
import {
  createEventTypeSchema,
  eventTypeResourceSchema,
  listEventTypesQuerySchema,
  updateEventTypeSchema,
} from "../event-types/event-types";
import { pageQuerySchema, pageSchema } from "../platform/pagination";
import { HOOKPOST_VERSION } from "../platform/version";
import { webhookBodySchema, webhookHeadersSchema } from "../sending/webhook-request";
import { errorBodySchema } from "./error-body";
import { MAX_BODY_BYTES } from "./request";

/** Where the API lives, relative to the server that serves the document. */
export const API_BASE_PATH = "/api/v1";

const appId = z.string().meta({ description: "The app's id (`app_...`) or its uid", example: "acme" });
const endpointId = z.string().meta({ description: "The endpoint's id (`endpoint_...`)" });
const appParams = z.object({ appId });
const endpointParams = z.object({ appId, endpointId });
const eventParams = z.object({
  appId,
  eventId: z.string().meta({ description: "The event's id (`event_...`) or the `eventId` it was sent with" }),
});
const eventTypeParams = z.object({
  appId,
  eventType: z.string().meta({ description: "The event type's name", example: "invoice.paid" }),
});
const deliveryParams = z.object({ appId, deliveryId: z.string().meta({ description: "The delivery's id" }) });

/** What each error status means, wherever it is answered. */
const ERRORS = {
  400: "The body is not JSON (or is empty where one is required)",
  401: "No API key, or one that is unknown or revoked",
  404: "No such app (or no such object in this app: another app's ids are not found either)",
  409: "Conflicts with an existing object (the `field` says which)",
  413: `The body is larger than ${MAX_BODY_BYTES / 1024} KiB`,
  422: "A field is invalid: `field` names it and `message` says why",
  500: "Hookpost failed; the error is logged",
  503: "PostgreSQL or Redis is unreachable: retry with backoff",
} as const;

type ErrorStatus = keyof typeof ERRORS;

function errorResponse(status: ErrorStatus): ZodOpenApiResponseObject {
  return {
    description: ERRORS[status],
    content: { "application/json": { schema: errorBodySchema } },
  };
}

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out, as if `{}` were sent. */
  bodyOptional?: boolean;
  status: 200 | 201 | 202 | 204;
  answer: string;
  /** Absent for an answer without a body. */
  schema?: z.ZodType;
  /** Errors particular to this operation; 401, 500 and 503 are every operation's. */
  errors?: ErrorStatus[];
}

const BODY_ERRORS: ErrorStatus[] = [400, 413, 422];

function operation(op: Operation): ZodOpenApiOperationObject {
  const errors = new Set<ErrorStatus>([401, 500, 503, ...(op.errors ?? [])]);
  if (op.body) for (const status of BODY_ERRORS) errors.add(status);
  if (op.query) errors.add(422);
  if (op.params?.shape.appId) errors.add(404);
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    tags: [op.tag],
    requestParams: {
      ...(op.params && { path: op.params }),
      ...(op.query && { query: op.query }),
      ...(op.headers && { header: op.headers }),
    },
    ...(op.body && {
      requestBody: { required: !op.bodyOptional, content: { "application/json": { schema: op.body } } },
    }),
    responses: {
      [op.status]: {
        description: op.answer,
        ...(op.schema && { content: { "application/json": { schema: op.schema } } }),
      },
      ...Object.fromEntries([...errors].sort().map((status) => [status, errorResponse(status)])),
    },
  };
}

const appPage = pageSchema(appSchema, "AppPage");

function buildDocument() {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Hookpost API",
      version: HOOKPOST_VERSION,
      description: [
        "Send webhooks to your customers' endpoints: create an app per customer, add its endpoints, and post events to it.",
        "Each event is stored before it is acknowledged (202), then delivered to every subscribed endpoint, signed per Standard Webhooks, with retries.",
        "",
        "Every list is paged by key, newest first: pass `limit`, then the answer's `nextCursor` as `cursor` for the next page.",
        'Every error answers `{"error":{"code","message","field"?}}`.',
      ].join("\n"),
    },
    servers: [{ url: API_BASE_PATH }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "Apps", description: "One app per customer of yours: its endpoints, events and deliveries are its own." },
      {
        name: "Event types",
        description: "The app's catalogue: the types its customer sees in the portal, subscribes to and tests with.",
      },
      { name: "Endpoints", description: "Where an app's events are sent, and the secrets that sign them." },
      { name: "Events", description: "What happened in your product, sent to every subscribed endpoint." },
      { name: "Deliveries", description: "One event on its way to one endpoint, and its attempts." },
      { name: "Portal", description: "Links to the page where your customer sees and retries their deliveries." },
      { name: "Description", description: "This document." },
    ],
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "An API key: `npm run hookpost -- api-key create <name>` prints one.",
        },
      },
    },
    paths: {
      "/apps": {
        get: operation({
          operationId: "listApps",
          summary: "List apps",
          tag: "Apps",
          query: pageQuerySchema,
          status: 200,
          answer: "A page of apps, newest first",
          schema: appPage,
        }),
        post: operation({
          operationId: "createApp",
          summary: "Create an app",
          tag: "Apps",
          body: createAppSchema,
          status: 201,
          answer: "The app",
          schema: appSchema,
          errors: [409],
        }),
      },
      "/apps/{appId}": {
        get: operation({
          operationId: "getApp",
          summary: "Get an app",
          tag: "Apps",
          params: appParams,
          status: 200,
          answer: "The app",
          schema: appSchema,
        }),
        patch: operation({
          operationId: "updateApp",
          summary: "Change an app",
          description: "Its name and its portal's branding; `null` clears a branding field.",
          tag: "Apps",
          params: appParams,
          body: updateAppSchema,
          status: 200,
          answer: "The app as changed",
          schema: appSchema,
        }),
      },
      "/apps/{appId}/event-types": {
        get: operation({
          operationId: "listEventTypes",
          summary: "List an app's event types",
          tag: "Event types",
          params: appParams,
          query: pageQuerySchema.extend(listEventTypesQuerySchema.shape),
          status: 200,
          answer: "A page of the catalogue, newest first",
          schema: pageSchema(eventTypeResourceSchema, "EventTypePage"),
        }),
        post: operation({
          operationId: "createEventType",
          summary: "Declare an event type",
          description: "With a JSON Schema, the example must follow it.",
          tag: "Event types",
          params: appParams,
          body: createEventTypeSchema,
          status: 201,
          answer: "The event type",
          schema: eventTypeResourceSchema,
          errors: [409],
        }),
      },
      "/apps/{appId}/event-types/{eventType}": {
        get: operation({
          operationId: "getEventType",
          summary: "Get an event type",
          tag: "Event types",
          params: eventTypeParams,
          status: 200,
          answer: "The event type",
          schema: eventTypeResourceSchema,
        }),
        patch: operation({
          operationId: "updateEventType",
          summary: "Change an event type",
          description: "`archived: false` restores an archived type.",
          tag: "Event types",
          params: eventTypeParams,
          body: updateEventTypeSchema,
          status: 200,
          answer: "The event type as changed",
          schema: eventTypeResourceSchema,
        }),
        delete: operation({
          operationId: "archiveEventType",
          summary: "Archive an event type",
          description:
            'It leaves the portal and the pickers; endpoints keep their subscriptions. `PATCH {"archived": false}` restores it.',
          tag: "Event types",
          params: eventTypeParams,
          status: 204,
          answer: "Archived",
        }),
      },
      "/apps/{appId}/endpoints": {
        get: operation({
          operationId: "listEndpoints",
          summary: "List an app's endpoints",
          tag: "Endpoints",
          params: appParams,
          query: pageQuerySchema,
          status: 200,
          answer: "A page of endpoints, newest first",
          schema: pageSchema(endpointSchema, "EndpointPage"),
        }),
        post: operation({
          operationId: "createEndpoint",
          summary: "Add an endpoint",
          description:
            "Its URL must be http(s) and reach a public address (unless the operator allows private ones); it is checked again when each request is sent.",
          tag: "Endpoints",
          params: appParams,
          body: createEndpointSchema,
          status: 201,
          answer: "The endpoint",
          schema: endpointSchema,
        }),
      },
      "/apps/{appId}/endpoints/{endpointId}": {
        get: operation({
          operationId: "getEndpoint",
          summary: "Get an endpoint",
          tag: "Endpoints",
          params: endpointParams,
          status: 200,
          answer: "The endpoint",
          schema: endpointSchema,
        }),
        patch: operation({
          operationId: "updateEndpoint",
          summary: "Change an endpoint",
          description: "Disabling stops its deliveries; enabling it again starts its failure count afresh.",
          tag: "Endpoints",
          params: endpointParams,
          body: updateEndpointSchema,
          status: 200,
          answer: "The endpoint as changed",
          schema: endpointSchema,
        }),
        delete: operation({
          operationId: "deleteEndpoint",
          summary: "Delete an endpoint",
          tag: "Endpoints",
          params: endpointParams,
          status: 204,
          answer: "Deleted, with its deliveries",
        }),
      },
      "/apps/{appId}/endpoints/{endpointId}/headers": {
        get: operation({
          operationId: "getEndpointHeaders",
          summary: "Get an endpoint's custom headers",
          description: "Kept apart from the endpoint: their values often hold credentials.",
          tag: "Endpoints",
          params: endpointParams,
          status: 200,
          answer: "The headers sent with each of its requests",
          schema: endpointHeadersBodySchema,
        }),
        put: operation({
          operationId: "setEndpointHeaders",
          summary: "Set an endpoint's custom headers",
          description: "Replaces them all.",
          tag: "Endpoints",
          params: endpointParams,
          body: endpointHeadersBodySchema,
          status: 200,
          answer: "The headers now sent",
          schema: endpointHeadersBodySchema,
        }),
      },
      "/apps/{appId}/endpoints/{endpointId}/secret": {
        get: operation({
          operationId: "getEndpointSecret",
          summary: "Reveal an endpoint's signing secret",
          tag: "Endpoints",
          params: endpointParams,
          status: 200,
          answer: "The secret its receiver verifies signatures with",
          schema: endpointSecretSchema,
        }),
      },
      "/apps/{appId}/endpoints/{endpointId}/secret/rotate": {
        post: operation({
          operationId: "rotateEndpointSecret",
          summary: "Rotate an endpoint's signing secret",
          description:
            "The replaced secret keeps signing, beside the new one, until its overlap ends (`SECRET_ROTATION_OVERLAP`), so receivers can switch without losing a delivery.",
          tag: "Endpoints",
          params: endpointParams,
          body: rotateSecretSchema,
          bodyOptional: true,
          status: 200,
          answer: "The new secret and when the old ones stop signing",
          schema: rotationSchema,
        }),
      },
      "/apps/{appId}/events": {
        post: operation({
          operationId: "createEvent",
          summary: "Send an event",
          description:
            "Stored, with a delivery for every enabled endpoint subscribed to its type, before the answer. Delivery follows at once, signed, with retries.",
          tag: "Events",
          params: appParams,
          headers: z.object({ "Idempotency-Key": idempotencyKeySchema }),
          body: createEventSchema,
          status: 202,
          answer: "Stored and queued for delivery (or, for a repeated Idempotency-Key, the event it created)",
          schema: eventSchema,
        }),
      },
      "/apps/{appId}/events/{eventId}/deliveries": {
        get: operation({
          operationId: "listEventDeliveries",
          summary: "List an event's deliveries",
          tag: "Deliveries",
          params: eventParams,
          query: pageQuerySchema,
          status: 200,
          answer: "A page of the event's deliveries, one per endpoint, newest first",
          schema: pageSchema(deliverySchema, "DeliveryPage"),
        }),
      },
      "/apps/{appId}/deliveries/{deliveryId}/attempts": {
        get: operation({
          operationId: "listAttempts",
          summary: "List a delivery's attempts",
          tag: "Deliveries",
          params: deliveryParams,
          query: pageQuerySchema,
          status: 200,
          answer: "A page of attempts, newest first",
          schema: pageSchema(attemptSchema, "AttemptPage"),
        }),
      },
      "/apps/{appId}/deliveries/{deliveryId}/retry": {
        post: operation({
          operationId: "retryDelivery",
          summary: "Retry a delivery",
          description:
            "One more attempt, made by the worker ahead of any backlog; it shows in the delivery's attempts with the trigger `manual`.",
          tag: "Deliveries",
          params: deliveryParams,
          status: 202,
          answer: "The attempt is queued",
          schema: retryQueuedSchema,
        }),
      },
      "/apps/{appId}/portal-access": {
        post: operation({
          operationId: "createPortalAccess",
          summary: "Get a portal link",
          description: "A link for the app's customer to its portal; it opens once, before `expiresAt`.",
          tag: "Portal",
          params: appParams,
          status: 201,
          answer: "The link",
          schema: portalAccessSchema,
        }),
      },
      "/openapi.json": {
        get: {
          operationId: "getOpenApiDocument",
          summary: "This document",
          description: "Needs no API key.",
          tags: ["Description"],
          security: [],
          responses: {
            200: {
              description: "The OpenAPI 3.1 description of this API",
              content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
            },
          },
        },
      },
    },
    webhooks: {
      event: {
        post: {
          operationId: "receiveEvent",
          summary: "An event, as your customers' endpoints receive it",
          description: [
            "Hookpost POSTs each event to every subscribed endpoint, signed per Standard Webhooks.",
            "Verify the signature over the raw body before trusting it (the receiver library, `@hookpost/receiver`, does), and deduplicate on `webhook-id`: delivery is at least once.",
            "Answer 2xx within the timeout to acknowledge; anything else is retried on the retry schedule.",
          ].join(" "),
          requestParams: { header: webhookHeadersSchema },
          requestBody: { required: true, content: { "application/json": { schema: webhookBodySchema } } },
          responses: {
            "2XX": { description: "Received: no further attempt is made" },
          },
        },
      },
    },
  });
}

export type OpenApiDocument = ReturnType<typeof createDocument>;

let document: OpenApiDocument | undefined;

/** The document, made once per process. */
export function openApiDocument(): OpenApiDocument {
  document ??= buildDocument();
  return document;
}
