// Endpoints: where an app's events are sent, with the secret that signs them.
import type { Endpoint, Prisma } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../platform/db";
import { NotFoundError, ValidationError } from "../platform/errors";
import { newId } from "../platform/ids";
import { pageArgs, toPage, type PageQuery } from "../platform/pagination";
import { customHeaders, type EndpointHeaders } from "./headers";
import { needsResealing, openSecret, sealSecret } from "./secrets";
import {
  livePreviousSecrets,
  readPreviousSecrets,
  retireSecret,
  storePreviousSecrets,
  type PreviousSecret,
} from "./previous-secrets";
import { generateSecret, isValidSecret } from "../sending/signing";
import { checkEndpointUrl, type DestinationPolicy } from "./url-guard";

const eventTypeSchema = z
  .string()
  .regex(/^[a-zA-Z0-9\-_.]{1,256}$/, "event types may contain letters, digits, '-', '_' and '.' (at most 256)");

const secretSchema = z
  .string()
  .refine(isValidSecret, "secret must be whsec_ followed by base64 of 24 to 64 bytes")
  .meta({
    description: "`whsec_` followed by base64 of 24 to 64 random bytes",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  });

/** Deliveries per second; null lifts the limit. */
const rateLimitSchema = z
  .number()
  .int()
  .min(1)
  .max(10_000)
  .nullable()
  .meta({ description: "Deliveries per second at most; null for no limit" });

const urlSchema = z
  .string()
  .max(2048)
  .meta({ description: "Where events are POSTed: an absolute http(s) URL", example: "https://example.com/webhooks" });

const eventTypesSchema = z
  .array(eventTypeSchema)
  .max(256)
  .meta({ description: "The event types sent to it; empty for every type" });

export const createEndpointSchema = z
  .object({
    url: urlSchema,
    description: z.string().max(1024).default(""),
    eventTypes: eventTypesSchema.default([]),
    secret: secretSchema.optional().meta({ description: "Its signing secret; one is generated when absent" }),
    rateLimit: rateLimitSchema.default(null),
  })
  .meta({ id: "CreateEndpoint" });

export const updateEndpointSchema = z
  .object({
    url: urlSchema,
    description: z.string().max(1024),
    eventTypes: eventTypesSchema,
    disabled: z.boolean(),
    rateLimit: rateLimitSchema,
  })
  .partial()
  .meta({ id: "UpdateEndpoint", description: "The settings to change; at least one" });

export const rotateSecretSchema = z
  .object({ key: secretSchema.optional().meta({ description: "The new secret; one is generated when absent" }) })
  .meta({ id: "RotateSecret" });

/** An endpoint as the API answers it (its secret and custom headers have routes of their own). */
export const endpointSchema = z
  .object({
    id: z.string().meta({ example: "endpoint_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C" }),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.string()),
    disabled: z.boolean(),
    rateLimit: z.number().int().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Endpoint" });

export type EndpointResource = z.output<typeof endpointSchema>;

export const endpointSecretSchema = z
  .object({ key: z.string().meta({ description: "The current signing secret, `whsec_...`" }) })
  .meta({ id: "EndpointSecret" });

export type EndpointSecret = z.output<typeof endpointSecretSchema>;

const secretExpirySchema = z.object({ expiresAt: z.iso.datetime() });

export const rotationSchema = z
  .object({
    key: z.string().meta({ description: "The new signing secret" }),
    previousSecretExpiresAt: z.iso
      .datetime()
      .meta({ description: "When the secret this rotation replaced stops signing" }),
    previousSecrets: z
      .array(secretExpirySchema)
      .meta({ description: "Every rotated-out secret still signing, newest first" }),
    droppedSecrets: z
      .array(secretExpirySchema)
      .meta({ description: "Older secrets this rotation stopped before their overlap ended" }),
  })
  .meta({ id: "SecretRotation" });

/** An endpoint named by its app and its own id, as a caller names it. */
export interface EndpointRef {
  appId: string;
  endpointId: string;
}

export function toEndpointResource(endpoint: Endpoint): EndpointResource {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    disabled: endpoint.disabled,
    rateLimit: endpoint.rateLimit,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

export async function createEndpoint(
  db: Db,
  appId: string,
  input: z.infer<typeof createEndpointSchema>,
  policy: DestinationPolicy,
) {
  const url = checkEndpointUrl(input.url, policy);
  return db.endpoint.create({
    data: {
      id: newId("endpoint"),
      appId,
      url: url.toString(),
      description: input.description,
      eventTypes: [...new Set(input.eventTypes)],
      secret: sealSecret(input.secret ?? generateSecret()),
      rateLimit: input.rateLimit,
    },
  });
}

/** The endpoint, if it belongs to the app: another app's endpoint is simply not found. */
export async function getEndpoint(db: Db, appId: string, endpointId: string): Promise<Endpoint> {
  const endpoint = await db.endpoint.findFirst({ where: { id: endpointId, appId } });
  if (!endpoint) throw new NotFoundError("endpoint");
  return endpoint;
}

export async function listEndpoints(db: Db, appId: string, page: PageQuery) {
  const args = pageArgs(page);
  const rows = await db.endpoint.findMany({ ...args, where: { ...args.where, appId } });
  return toPage(rows, page.limit, toEndpointResource);
}

export async function updateEndpoint(
  db: Db,
  appId: string,
  endpointId: string,
  input: z.infer<typeof updateEndpointSchema>,
  policy: DestinationPolicy,
) {
  const existing = await getEndpoint(db, appId, endpointId);
  if (Object.keys(input).length === 0)
    throw new ValidationError("nothing to update: send url, description, eventTypes or disabled");
  const reEnabled = input.disabled === false && existing.disabled;
  return db.endpoint.update({
    where: { id: existing.id },
    data: {
      url: input.url === undefined ? undefined : checkEndpointUrl(input.url, policy).toString(),
      description: input.description,
      eventTypes: input.eventTypes === undefined ? undefined : [...new Set(input.eventTypes)],
      disabled: input.disabled,
      rateLimit: input.rateLimit,
      ...(input.disabled === true && !existing.disabled
        ? { disabledAt: new Date(), disabledReason: "disabled by user" }
        : {}),
      // A fresh start: the failure streak that may have disabled it is over.
      ...(reEnabled ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
    },
  });
}

/** The current signing secret in clear, for its owner to configure their receiver. */
export async function revealEndpointSecret(db: Db, appId: string, endpointId: string): Promise<string> {
  return openSecret((await getEndpoint(db, appId, endpointId)).secret);
}

/**
 * Re-seals every stored secret, the current one and those rotated out, with
 * the primary key, after a key was added in front of SECRETS_ENCRYPTION_KEYS;
 * the old key can then be removed. Rotated-out secrets past their overlap
 * are dropped rather than resealed.
 */
export async function resealEndpointSecrets(db: Db, now = new Date()): Promise<number> {
  let resealed = 0;
  const endpoints = await db.endpoint.findMany({ select: { id: true, secret: true, previousSecrets: true } });
  for (const endpoint of endpoints) {
    const previous = readPreviousSecrets(endpoint.previousSecrets);
    if (!needsResealing(endpoint.secret) && !previous.some((entry) => needsResealing(entry.secret))) continue;
    const reseal = (entry: PreviousSecret) => ({ ...entry, secret: sealSecret(openSecret(entry.secret)) });
    await db.endpoint.update({
      where: { id: endpoint.id },
      data: {
        secret: sealSecret(openSecret(endpoint.secret)),
        previousSecrets: storePreviousSecrets(livePreviousSecrets(previous, now).map(reseal)),
      },
    });
    resealed++;
  }
  return resealed;
}

export async function getEndpointHeaders(db: Db, appId: string, endpointId: string): Promise<EndpointHeaders> {
  return customHeaders((await getEndpoint(db, appId, endpointId)).headers);
}

export async function setEndpointHeaders(db: Db, appId: string, endpointId: string, headers: EndpointHeaders) {
  const existing = await getEndpoint(db, appId, endpointId);
  await db.endpoint.update({ where: { id: existing.id }, data: { headers } });
  return headers;
}

/** Deletes the endpoint, and answers what it was. */
export async function deleteEndpoint(db: Db, appId: string, endpointId: string): Promise<Endpoint> {
  const existing = await getEndpoint(db, appId, endpointId);
  return db.endpoint.delete({ where: { id: existing.id } });
}

export interface Rotation {
  key: string;
  /** Every rotated-out secret still signing, newest first: the one just replaced, then older ones. */
  previousSecrets: Array<{ expiresAt: Date }>;
  /** Older secrets this rotation stopped before their overlap ended (lib/endpoints/previous-secrets.ts). */
  droppedSecrets: Array<{ expiresAt: Date }>;
}

/**
 * Replaces the signing secret. The replaced one keeps signing until its own
 * overlap ends, as does each one replaced before it, up to
 * MAX_PREVIOUS_SECRETS: past that the oldest stops signing now.
 */
export async function rotateEndpointSecret(
  db: Db,
  appId: string,
  endpointId: string,
  newSecret: string | undefined,
  overlapMs: number,
  now = new Date(),
): Promise<Rotation> {
  const existing = await getEndpoint(db, appId, endpointId);
  const secret = newSecret ?? generateSecret();
  const expiresAt = new Date(now.getTime() + overlapMs);
  const retirement = await db.$transaction(async (tx) => {
    // Locked, so that of two rotations at once the later one keeps the
    // secret the earlier one replaced.
    const [row] = await tx.$queryRaw<Array<{ secret: string; previous_secrets: Prisma.JsonValue }>>`
      SELECT secret, previous_secrets FROM endpoints WHERE id = ${existing.id} FOR NO KEY UPDATE`;
    if (!row) throw new NotFoundError("endpoint");
    const retired = retireSecret(readPreviousSecrets(row.previous_secrets), { secret: row.secret, expiresAt }, now);
    await tx.endpoint.update({
      where: { id: existing.id },
      data: { secret: sealSecret(secret), previousSecrets: storePreviousSecrets(retired.kept) },
    });
    return retired;
  });
  const expiries = (entries: PreviousSecret[]) => entries.map((entry) => ({ expiresAt: entry.expiresAt }));
  return { key: secret, previousSecrets: expiries(retirement.kept), droppedSecrets: expiries(retirement.dropped) };
}

/** A rotation as the API and the dashboard answer it. */
export function toRotationResource(rotation: Rotation): z.output<typeof rotationSchema> {
  const iso = (entries: Array<{ expiresAt: Date }>) =>
    entries.map((entry) => ({ expiresAt: entry.expiresAt.toISOString() }));
  return {
    key: rotation.key,
    previousSecretExpiresAt: rotation.previousSecrets[0]!.expiresAt.toISOString(),
    previousSecrets: iso(rotation.previousSecrets),
    droppedSecrets: iso(rotation.droppedSecrets),
  };
}

/**
 * The secrets that sign a request sent at `now`: the current one first, then
 * each rotated-out one still in its overlap, newest first.
 */
export function signingSecrets(endpoint: Pick<Endpoint, "secret" | "previousSecrets">, now: Date): string[] {
  const previous = livePreviousSecrets(readPreviousSecrets(endpoint.previousSecrets), now);
  return [openSecret(endpoint.secret), ...previous.map((entry) => openSecret(entry.secret))];
}
