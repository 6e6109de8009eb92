// The Hookpost API as methods, typed by the API's own OpenAPI document
// (src/schema.ts, generated). Every answer is the resource itself; every
// error is thrown as a HookpostError with its code.
import createClient, { type Client } from "openapi-fetch";
import { HookpostError, isErrorBody } from "./errors.js";
import { retryingFetch, type RetryOptions } from "./retry.js";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];

export type App = Schemas["App"];
export type Endpoint = Schemas["Endpoint"];
export type Event = Schemas["Event"];
export type Delivery = Schemas["Delivery"];
export type Attempt = Schemas["Attempt"];
export type SecretRotation = Schemas["SecretRotation"];
export type PortalAccess = Schemas["PortalAccess"];
export type CreateApp = Schemas["CreateApp"];
export type CreateEndpoint = Schemas["CreateEndpoint"];
export type UpdateEndpoint = Schemas["UpdateEndpoint"];
export type CreateEvent = Schemas["CreateEvent"];
export type UpdateApp = Schemas["UpdateApp"];
export type EventType = Schemas["EventType"];
export type CreateEventType = Schemas["CreateEventType"];
export type UpdateEventType = Schemas["UpdateEventType"];

/** One page of a list, newest first; pass `nextCursor` as `cursor` for the next. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export interface HookpostOptions extends RetryOptions {
  /** Where Hookpost runs, e.g. `https://hookpost.example.com` (the API is under /api/v1). */
  baseUrl: string;
  /** An API key (`npm run hookpost -- api-key create <name>` makes one). */
  apiKey: string;
  /** A fetch of your own (a proxy, a test double); defaults to the global one. */
  fetch?: (request: Request, init?: RequestInit) => Promise<Response>;
}

export interface SendOptions {
  /**
   * Names this send: sending again with the same key within 24 hours
   * returns the first event instead of creating another. One is generated
   * when none is given, and every retry of this call reuses it.
   */
  idempotencyKey?: string;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The answer's data, or the API's error thrown as a HookpostError. */
async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (isErrorBody(error)) throw new HookpostError(response.status, error);
  throw new HookpostError(response.status, {
    error: { code: "internal_error", message: `unexpected answer ${response.status} from ${response.url}` },
  });
}

/**
 * Only requests that cannot act twice are retried: reads, updates and
 * deletions by id, and anything carrying an Idempotency-Key. Creating an
 * app or an endpoint, rotating a secret or asking for a retry is not
 * repeated, since the first request may have done it before its answer
 * was lost.
 */
function repeatable(request: Request): boolean {
  return request.method !== "POST" || request.headers.has("idempotency-key");
}

export class Hookpost {
  readonly apps: Apps;
  readonly eventTypes: EventTypes;
  readonly endpoints: Endpoints;
  readonly events: Events;
  readonly deliveries: Deliveries;
  readonly portal: Portal;

  constructor(options: HookpostOptions) {
    const api: Client<paths> = createClient<paths>({
      baseUrl: `${options.baseUrl.replace(/\/+$/, "")}/api/v1`,
      headers: { authorization: `Bearer ${options.apiKey}` },
      fetch: retryingFetch(options.fetch ?? ((request, init) => fetch(request, init)), options, repeatable),
    });
    this.apps = new Apps(api);
    this.eventTypes = new EventTypes(api);
    this.endpoints = new Endpoints(api);
    this.events = new Events(api);
    this.deliveries = new Deliveries(api);
    this.portal = new Portal(api);
  }
}

class Apps {
  constructor(private readonly api: Client<paths>) {}

  create(app: CreateApp): Promise<App> {
    return unwrap(this.api.POST("/apps", { body: app }));
  }

  list(page: PageQuery = {}): Promise<Page<App>> {
    return unwrap(this.api.GET("/apps", { params: { query: page } }));
  }

  /** By its id or its uid. */
  get(app: string): Promise<App> {
    return unwrap(this.api.GET("/apps/{appId}", { params: { path: { appId: app } } }));
  }

  /** Its name and its portal's branding; `null` clears a branding field. */
  update(app: string, changes: UpdateApp): Promise<App> {
    return unwrap(this.api.PATCH("/apps/{appId}", { params: { path: { appId: app } }, body: changes }));
  }
}

/** The app's catalogue of event types, which its portal lists and offers to subscribe to. */
class EventTypes {
  constructor(private readonly api: Client<paths>) {}

  create(app: string, eventType: CreateEventType): Promise<EventType> {
    return unwrap(this.api.POST("/apps/{appId}/event-types", { params: { path: { appId: app } }, body: eventType }));
  }

  list(app: string, page: PageQuery & { includeArchived?: boolean } = {}): Promise<Page<EventType>> {
    const { includeArchived, ...rest } = page;
    const query = { ...rest, ...(includeArchived === undefined ? {} : { includeArchived: String(includeArchived) }) };
    return unwrap(
      this.api.GET("/apps/{appId}/event-types", {
        params: { path: { appId: app }, query: query as { includeArchived?: "true" | "false" } & PageQuery },
      }),
    );
  }

  get(app: string, name: string): Promise<EventType> {
    return unwrap(
      this.api.GET("/apps/{appId}/event-types/{eventType}", { params: { path: { appId: app, eventType: name } } }),
    );
  }

  /** `archived: false` restores an archived type. */
  update(app: string, name: string, changes: UpdateEventType): Promise<EventType> {
    return unwrap(
      this.api.PATCH("/apps/{appId}/event-types/{eventType}", {
        params: { path: { appId: app, eventType: name } },
        body: changes,
      }),
    );
  }

  /** It leaves the portal and the pickers; endpoints keep their subscriptions. */
  async archive(app: string, name: string): Promise<void> {
    await unwrap(
      this.api.DELETE("/apps/{appId}/event-types/{eventType}", { params: { path: { appId: app, eventType: name } } }),
    );
  }
}

class Endpoints {
  constructor(private readonly api: Client<paths>) {}

  create(app: string, endpoint: CreateEndpoint): Promise<Endpoint> {
    return unwrap(this.api.POST("/apps/{appId}/endpoints", { params: { path: { appId: app } }, body: endpoint }));
  }

  list(app: string, page: PageQuery = {}): Promise<Page<Endpoint>> {
    return unwrap(this.api.GET("/apps/{appId}/endpoints", { params: { path: { appId: app }, query: page } }));
  }

  get(app: string, endpointId: string): Promise<Endpoint> {
    return unwrap(
      this.api.GET("/apps/{appId}/endpoints/{endpointId}", { params: { path: { appId: app, endpointId } } }),
    );
  }

  update(app: string, endpointId: string, changes: UpdateEndpoint): Promise<Endpoint> {
    return unwrap(
      this.api.PATCH("/apps/{appId}/endpoints/{endpointId}", {
        params: { path: { appId: app, endpointId } },
        body: changes,
      }),
    );
  }

  async delete(app: string, endpointId: string): Promise<void> {
    await unwrap(
      this.api.DELETE("/apps/{appId}/endpoints/{endpointId}", { params: { path: { appId: app, endpointId } } }),
    );
  }

  async headers(app: string, endpointId: string): Promise<Record<string, string>> {
    const path = "/apps/{appId}/endpoints/{endpointId}/headers";
    return (await unwrap(this.api.GET(path, { params: { path: { appId: app, endpointId } } }))).headers;
  }

  /** Replaces the custom headers sent with each of the endpoint's requests. */
  async setHeaders(app: string, endpointId: string, headers: Record<string, string>): Promise<Record<string, string>> {
    const path = "/apps/{appId}/endpoints/{endpointId}/headers";
    return (await unwrap(this.api.PUT(path, { params: { path: { appId: app, endpointId } }, body: { headers } })))
      .headers;
  }

  /** The signing secret its receiver verifies with. */
  async secret(app: string, endpointId: string): Promise<string> {
    const path = "/apps/{appId}/endpoints/{endpointId}/secret";
    return (await unwrap(this.api.GET(path, { params: { path: { appId: app, endpointId } } }))).key;
  }

  /** A new signing secret (`key`, or a generated one); the old one keeps signing until its overlap ends. */
  rotateSecret(app: string, endpointId: string, key?: string): Promise<SecretRotation> {
    const path = "/apps/{appId}/endpoints/{endpointId}/secret/rotate";
    return unwrap(this.api.POST(path, { params: { path: { appId: app, endpointId } }, body: { key } }));
  }
}

class Events {
  constructor(private readonly api: Client<paths>) {}

  /**
   * Sends an event to every endpoint of `app` subscribed to its type. Retried
   * with the same Idempotency-Key, so it is created once however often the
   * request is repeated.
   */
  send(app: string, event: CreateEvent, options: SendOptions = {}): Promise<Event> {
    const idempotencyKey = options.idempotencyKey ?? crypto.randomUUID();
    return unwrap(
      this.api.POST("/apps/{appId}/events", {
        params: { path: { appId: app }, header: { "Idempotency-Key": idempotencyKey } },
        body: event,
      }),
    );
  }

  /** The event's deliveries, one per endpoint; `eventId` is its id or the `eventId` it was sent with. */
  deliveries(app: string, eventId: string, page: PageQuery = {}): Promise<Page<Delivery>> {
    return unwrap(
      this.api.GET("/apps/{appId}/events/{eventId}/deliveries", {
        params: { path: { appId: app, eventId }, query: page },
      }),
    );
  }
}

class Deliveries {
  constructor(private readonly api: Client<paths>) {}

  /** Queues one more attempt of the delivery, ahead of any backlog. */
  async retry(app: string, deliveryId: string): Promise<void> {
    await unwrap(
      this.api.POST("/apps/{appId}/deliveries/{deliveryId}/retry", { params: { path: { appId: app, deliveryId } } }),
    );
  }

  attempts(app: string, deliveryId: string, page: PageQuery = {}): Promise<Page<Attempt>> {
    return unwrap(
      this.api.GET("/apps/{appId}/deliveries/{deliveryId}/attempts", {
        params: { path: { appId: app, deliveryId }, query: page },
      }),
    );
  }
}

class Portal {
  constructor(private readonly api: Client<paths>) {}

  /** A link for the app's customer to its portal; it opens once, before `expiresAt`. */
  createLink(app: string): Promise<PortalAccess> {
    return unwrap(this.api.POST("/apps/{appId}/portal-access", { params: { path: { appId: app } } }));
  }
}
