// Generated from Hookpost's OpenAPI document by openapi-typescript: do not edit.
// Regenerate with `npm run generate` in packages/client.
export interface paths {
    "/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List apps */
        get: operations["listApps"];
        put?: never;
        /** Create an app */
        post: operations["createApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an app */
        get: operations["getApp"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an app
         * @description Its name and its portal's branding; `null` clears a branding field.
         */
        patch: operations["updateApp"];
        trace?: never;
    };
    "/apps/{appId}/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an app's event types */
        get: operations["listEventTypes"];
        put?: never;
        /**
         * Declare an event type
         * @description With a JSON Schema, the example must follow it.
         */
        post: operations["createEventType"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/event-types/{eventType}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an event type */
        get: operations["getEventType"];
        put?: never;
        post?: never;
        /**
         * Archive an event type
         * @description It leaves the portal and the pickers; endpoints keep their subscriptions. `PATCH {"archived": false}` restores it.
         */
        delete: operations["archiveEventType"];
        options?: never;
        head?: never;
        /**
         * Change an event type
         * @description `archived: false` restores an archived type.
         */
        patch: operations["updateEventType"];
        trace?: never;
    };
    "/apps/{appId}/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an app's endpoints */
        get: operations["listEndpoints"];
        put?: never;
        /**
         * Add an endpoint
         * @description Its URL must be http(s) and reach a public address (unless the operator allows private ones); it is checked again when each request is sent.
         */
        post: operations["createEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/endpoints/{endpointId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an endpoint */
        get: operations["getEndpoint"];
        put?: never;
        post?: never;
        /** Delete an endpoint */
        delete: operations["deleteEndpoint"];
        options?: never;
        head?: never;
        /**
         * Change an endpoint
         * @description Disabling stops its deliveries; enabling it again starts its failure count afresh.
         */
        patch: operations["updateEndpoint"];
        trace?: never;
    };
    "/apps/{appId}/endpoints/{endpointId}/headers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an endpoint's custom headers
         * @description Kept apart from the endpoint: their values often hold credentials.
         */
        get: operations["getEndpointHeaders"];
        /**
         * Set an endpoint's custom headers
         * @description Replaces them all.
         */
        put: operations["setEndpointHeaders"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/endpoints/{endpointId}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reveal an endpoint's signing secret */
        get: operations["getEndpointSecret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/endpoints/{endpointId}/secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an endpoint's signing secret
         * @description The replaced secret keeps signing, beside the new one, until its overlap ends (`SECRET_ROTATION_OVERLAP`), so receivers can switch without losing a delivery.
         */
        post: operations["rotateEndpointSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an event
         * @description Stored, with a delivery for every enabled endpoint subscribed to its type, before the answer. Delivery follows at once, signed, with retries.
         */
        post: operations["createEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/events/{eventId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an event's deliveries */
        get: operations["listEventDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/deliveries/{deliveryId}/attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a delivery's attempts */
        get: operations["listAttempts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/deliveries/{deliveryId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a delivery
         * @description One more attempt, made by the worker ahead of any backlog; it shows in the delivery's attempts with the trigger `manual`.
         */
        post: operations["retryDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{appId}/portal-access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a portal link
         * @description A link for the app's customer to its portal; it opens once, before `expiresAt`.
         */
        post: operations["createPortalAccess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description Needs no API key.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    event: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An event, as your customers' endpoints receive it
         * @description Hookpost POSTs each event to every subscribed endpoint, signed per Standard Webhooks. Verify the signature over the raw body before trusting it (the receiver library, `@hookpost/receiver`, does), and deduplicate on `webhook-id`: delivery is at least once. Answer 2xx within the timeout to acknowledge; anything else is retried on the retry schedule.
         */
        post: operations["receiveEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        CreateApp: {
            name: string;
            /** @description Your own name for the app, usable wherever its id is; must not start with `app_` */
            uid?: string;
            displayName?: string | null;
            logoUrl?: string | null;
            accentColor?: string | null;
        };
        UpdateApp: {
            name?: string;
            displayName?: string | null;
            logoUrl?: string | null;
            accentColor?: string | null;
        };
        CreateEventType: {
            name: string;
            /** @default  */
            description?: string;
            /** @description The payload a test event of this type sends, kept as written */
            example: {
                [key: string]: unknown;
            };
            /** @default null */
            schema?: {
                [key: string]: unknown;
            } | null;
        };
        UpdateEventType: {
            description?: string;
            /** @description The payload a test event of this type sends, kept as written */
            example?: {
                [key: string]: unknown;
            };
            schema?: {
                [key: string]: unknown;
            } | null;
            archived?: boolean;
        };
        CreateEndpoint: {
            /**
             * @description Where events are POSTed: an absolute http(s) URL
             * @example https://example.com/webhooks
             */
            url: string;
            /** @default  */
            description?: string;
            /**
             * @description The event types sent to it; empty for every type
             * @default []
             */
            eventTypes?: string[];
            /**
             * @description Its signing secret; one is generated when absent
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret?: string;
            /**
             * @description Deliveries per second at most; null for no limit
             * @default null
             */
            rateLimit?: number | null;
        };
        /** @description The settings to change; at least one */
        UpdateEndpoint: {
            /**
             * @description Where events are POSTed: an absolute http(s) URL
             * @example https://example.com/webhooks
             */
            url?: string;
            description?: string;
            /** @description The event types sent to it; empty for every type */
            eventTypes?: string[];
            disabled?: boolean;
            /** @description Deliveries per second at most; null for no limit */
            rateLimit?: number | null;
        };
        EndpointHeaders: {
            /**
             * @description Header name to value, at most 20; Hookpost's own headers (`webhook-*`, `content-type`...) cannot be set
             * @example {
             *       "Authorization": "Bearer gateway-token"
             *     }
             */
            headers: {
                [key: string]: string;
            };
        };
        RotateSecret: {
            /**
             * @description The new secret; one is generated when absent
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            key?: string;
        };
        CreateEvent: {
            /** @example invoice.paid */
            eventType: string;
            /**
             * @description Any JSON object; consumers receive it as `data`, byte for byte as sent
             * @example {
             *       "invoice": 42
             *     }
             */
            payload: {
                [key: string]: unknown;
            };
            /** @description Your own id for the event, usable wherever its id is; without an Idempotency-Key, it serves as one */
            eventId?: string;
        };
        WebhookBody: {
            /**
             * @description The event's type
             * @example invoice.paid
             */
            type: string;
            /**
             * Format: date-time
             * @description When the event was accepted
             */
            timestamp: string;
            /**
             * @description The event's payload, byte for byte as its producer sent it
             * @example {
             *       "invoice": 42
             *     }
             */
            data: {
                [key: string]: unknown;
            };
        };
        AppPage: {
            data: components["schemas"]["App"][];
            /** @description Pass as `cursor` for the next (older) page; null on the last page */
            nextCursor: string | null;
        };
        App: {
            /** @example app_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C */
            id: string;
            name: string;
            uid: string | null;
            /** @description The name the portal shows instead of `name` */
            displayName: string | null;
            /** @description An https URL of the logo the portal shows */
            logoUrl: string | null;
            /** @description The portal's accent colour, as #rrggbb */
            accentColor: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        Error: {
            error: {
                /**
                 * @description Stable, for programs to branch on
                 * @enum {string}
                 */
                code: "malformed_request" | "unauthorized" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "validation_error" | "rate_limited" | "internal_error" | "unavailable";
                /** @description For people: what went wrong and, where it helps, what to do */
                message: string;
                /** @description The request's field at fault, as a dotted path (`eventTypes.0`), when one is */
                field?: string;
            };
        };
        EventTypePage: {
            data: components["schemas"]["EventType"][];
            /** @description Pass as `cursor` for the next (older) page; null on the last page */
            nextCursor: string | null;
        };
        EventType: {
            /** @example invoice.paid */
            name: string;
            description: string;
            /** @description The payload a test event of this type sends, as the operator wrote it */
            example: {
                [key: string]: unknown;
            };
            /** @description A JSON Schema its payloads follow */
            schema: {
                [key: string]: unknown;
            } | null;
            /** @description Archived types leave the portal and the pickers; PATCH restores them */
            archived: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        EndpointPage: {
            data: components["schemas"]["Endpoint"][];
            /** @description Pass as `cursor` for the next (older) page; null on the last page */
            nextCursor: string | null;
        };
        Endpoint: {
            /** @example endpoint_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C */
            id: string;
            url: string;
            description: string;
            eventTypes: string[];
            disabled: boolean;
            rateLimit: number | null;
            /** Format: date-time */
            createdAt: string;
        };
        EndpointSecret: {
            /** @description The current signing secret, `whsec_...` */
            key: string;
        };
        SecretRotation: {
            /** @description The new signing secret */
            key: string;
            /**
             * Format: date-time
             * @description When the secret this rotation replaced stops signing
             */
            previousSecretExpiresAt: string;
            /** @description Every rotated-out secret still signing, newest first */
            previousSecrets: {
                /** Format: date-time */
                expiresAt: string;
            }[];
            /** @description Older secrets this rotation stopped before their overlap ended */
            droppedSecrets: {
                /** Format: date-time */
                expiresAt: string;
            }[];
        };
        Event: {
            /** @example event_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C */
            id: string;
            eventType: string;
            /** @description The payload as it was sent */
            payload: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
        };
        DeliveryPage: {
            data: components["schemas"]["Delivery"][];
            /** @description Pass as `cursor` for the next (older) page; null on the last page */
            nextCursor: string | null;
        };
        Delivery: {
            /** @example delivery_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C */
            id: string;
            endpointId: string;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            attemptCount: number;
            /** @description When it is next attempted; null when not scheduled */
            nextAttemptAt: string | null;
            /** @description Since when it waits, unsent, for its failing endpoint to answer a probe with 2xx */
            heldSince: string | null;
            /** @description Why it failed, when no attempt says so (it expired while its endpoint was failing) */
            failureReason: string | null;
        };
        AttemptPage: {
            data: components["schemas"]["Attempt"][];
            /** @description Pass as `cursor` for the next (older) page; null on the last page */
            nextCursor: string | null;
        };
        Attempt: {
            /** @example attempt_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C */
            id: string;
            responseStatusCode: number | null;
            /** @description The start of the endpoint's answer */
            responseBody: string | null;
            /** @description Why no answer was had (timeout, refused connection...) */
            error: string | null;
            durationMs: number | null;
            /**
             * @description `manual` for a Retry someone asked for, `scheduled` otherwise
             * @enum {string}
             */
            trigger: "scheduled" | "manual";
            /** @description The W3C trace id the attempt was sent in, when its event came with a `traceparent` */
            traceId: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        RetryQueued: {
            /** @constant */
            status: "queued";
        };
        PortalAccess: {
            /**
             * Format: uri
             * @description The link to hand to the app's consumer; it opens the portal once
             */
            url: string;
            /**
             * Format: date-time
             * @description The link works until then, if still unused
             */
            expiresAt: string;
        };
        EndpointHeadersOutput: {
            /**
             * @description Header name to value, at most 20; Hookpost's own headers (`webhook-*`, `content-type`...) cannot be set
             * @example {
             *       "Authorization": "Bearer gateway-token"
             *     }
             */
            headers: {
                [key: string]: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listApps: {
        parameters: {
            query?: {
                /** @description How many items the page holds at most */
                limit?: number;
                /** @description The previous page's `nextCursor`; without it, the first page (newest first) */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of apps, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppPage"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApp"];
            };
        };
        responses: {
            /** @description The app */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with an existing object (the `field` says which) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The app */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateApp"];
            };
        };
        responses: {
            /** @description The app as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEventTypes: {
        parameters: {
            query?: {
                /** @description How many items the page holds at most */
                limit?: number;
                /** @description The previous page's `nextCursor`; without it, the first page (newest first) */
                cursor?: string;
                includeArchived?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the catalogue, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventTypePage"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEventType"];
            };
        };
        responses: {
            /** @description The event type */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with an existing object (the `field` says which) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The event type's name */
                eventType: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event type */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    archiveEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The event type's name */
                eventType: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Archived */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The event type's name */
                eventType: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateEventType"];
            };
        };
        responses: {
            /** @description The event type as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEndpoints: {
        parameters: {
            query?: {
                /** @description How many items the page holds at most */
                limit?: number;
                /** @description The previous page's `nextCursor`; without it, the first page (newest first) */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of endpoints, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointPage"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEndpoint"];
            };
        };
        responses: {
            /** @description The endpoint */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The endpoint's id (`endpoint_...`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The endpoint's id (`endpoint_...`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted, with its deliveries */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The endpoint's id (`endpoint_...`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateEndpoint"];
            };
        };
        responses: {
            /** @description The endpoint as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEndpointHeaders: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The endpoint's id (`endpoint_...`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The headers sent with each of its requests */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointHeadersOutput"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setEndpointHeaders: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The endpoint's id (`endpoint_...`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EndpointHeaders"];
            };
        };
        responses: {
            /** @description The headers now sent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointHeadersOutput"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEndpointSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The endpoint's id (`endpoint_...`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret its receiver verifies signatures with */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointSecret"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateEndpointSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The endpoint's id (`endpoint_...`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateSecret"];
            };
        };
        responses: {
            /** @description The new secret and when the old ones stop signing */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretRotation"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description A request repeating the key of an event created within 24 hours gets that event back (202) and creates nothing: retry with the same key */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEvent"];
            };
        };
        responses: {
            /** @description Stored and queued for delivery (or, for a repeated Idempotency-Key, the event it created) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            /** @description The body is not JSON (or is empty where one is required) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEventDeliveries: {
        parameters: {
            query?: {
                /** @description How many items the page holds at most */
                limit?: number;
                /** @description The previous page's `nextCursor`; without it, the first page (newest first) */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The event's id (`event_...`) or the `eventId` it was sent with */
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the event's deliveries, one per endpoint, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPage"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAttempts: {
        parameters: {
            query?: {
                /** @description How many items the page holds at most */
                limit?: number;
                /** @description The previous page's `nextCursor`; without it, the first page (newest first) */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The delivery's id */
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of attempts, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttemptPage"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is invalid: `field` names it and `message` says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retryDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
                /** @description The delivery's id */
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The attempt is queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetryQueued"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPortalAccess: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app's id (`app_...`) or its uid */
                appId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalAccess"];
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such app (or no such object in this app: another app's ids are not found either) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Hookpost failed; the error is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PostgreSQL or Redis is unreachable: retry with backoff */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 description of this API */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    receiveEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id, the same on every attempt: deduplicate on it */
                "webhook-id": string;
                /** @description When this attempt was signed, in seconds since the epoch; refuse old ones */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the secret's bytes (the base64 after `whsec_`); during a rotation one per signing secret, space-separated */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookBody"];
            };
        };
        responses: {
            /** @description Received: no further attempt is made */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
