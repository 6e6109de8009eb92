// The event catalogue of an app: the event types its operator declares,
// each with a description, an example payload and optionally a JSON
// Schema. The portal lists them, endpoint forms offer them as choices, and
// a test event can send one's example.
import { Prisma, type EventType } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../platform/db";
import { ConflictError, NotFoundError, ValidationError } from "../platform/errors";
import { newId } from "../platform/ids";
import { RawJson } from "../platform/json-source";
import { pageArgs, toPage, type PageQuery } from "../platform/pagination";
import { isUniqueViolation } from "../platform/prisma-errors";
import { checkExampleAgainstSchema, type JsonSchema } from "./json-schema";
import { eventTypeNameSchema } from "./name";

export const MAX_EXAMPLE_CHARS = 64 * 1024;
export const MAX_SCHEMA_CHARS = 64 * 1024;

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// Checked, not rebuilt: zod would copy the object (see lib/events/events.ts).
const exampleSchema = z
  .custom<Record<string, unknown>>(
    isJsonObject,
    "example must be a JSON object, the payload a test event of this type sends",
  )
  .meta({
    description: "The payload a test event of this type sends, kept as written",
    override: { type: "object", additionalProperties: true },
  });
// The description goes on before the refinement: zod-openapi reads it from the schema the refinement wraps.
const jsonSchemaSchema = z
  .custom<JsonSchema>(isJsonObject, "schema must be a JSON Schema object")
  .meta({
    description: "A JSON Schema (draft-07, or 2020-12 when its `$schema` says so) the example must follow",
    override: { type: "object", additionalProperties: true },
  })
  .refine(
    (schema) => JSON.stringify(schema).length <= MAX_SCHEMA_CHARS,
    `schema must be at most ${MAX_SCHEMA_CHARS} characters`,
  );

export const createEventTypeSchema = z
  .object({
    name: eventTypeNameSchema,
    description: z.string().trim().max(1024).default(""),
    example: exampleSchema,
    schema: jsonSchemaSchema.nullable().default(null),
  })
  .meta({ id: "CreateEventType" });

export const updateEventTypeSchema = z
  .object({
    description: z.string().trim().max(1024),
    example: exampleSchema,
    schema: jsonSchemaSchema.nullable(),
    /** false restores an archived type. */
    archived: z.boolean(),
  })
  .partial()
  .meta({ id: "UpdateEventType" });

export const listEventTypesQuerySchema = z.object({
  includeArchived: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
});

/** What the use cases take: the example as JSON text (kept as written), the schema parsed. */
export interface EventTypeFields {
  description: string;
  /** JSON text of an object. */
  example: string;
  schema: JsonSchema | null;
}

export type NewEventType = EventTypeFields & { name: string };

export type EventTypeChanges = Partial<EventTypeFields> & { archived?: boolean };

/** The example's JSON text, checked: a JSON object within the size limit. */
export function parseExample(text: string): Record<string, unknown> {
  if (text.length > MAX_EXAMPLE_CHARS) {
    throw new ValidationError(`example: must be at most ${MAX_EXAMPLE_CHARS} characters`, "example");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`example: not valid JSON: ${(error as Error).message}`, "example");
  }
  if (!isJsonObject(value)) {
    throw new ValidationError("example: must be a JSON object, the payload a test event of this type sends", "example");
  }
  return value;
}

function checkFields(example: string, schema: JsonSchema | null): void {
  const parsed = parseExample(example);
  if (schema) checkExampleAgainstSchema(parsed, schema);
}

/** An event type as the API answers it. */
export const eventTypeResourceSchema = z
  .object({
    name: z.string().meta({ example: "invoice.paid" }),
    description: z.string(),
    example: z
      .record(z.string(), z.unknown())
      .meta({ description: "The payload a test event of this type sends, as the operator wrote it" }),
    schema: z.record(z.string(), z.unknown()).nullable().meta({ description: "A JSON Schema its payloads follow" }),
    archived: z.boolean().meta({ description: "Archived types leave the portal and the pickers; PATCH restores them" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "EventType" });

export function toEventTypeResource(
  row: EventType,
): Omit<z.output<typeof eventTypeResourceSchema>, "example"> & { example: RawJson } {
  return {
    name: row.name,
    description: row.description,
    // Written as the operator wrote it, as an event's payload is.
    example: new RawJson(row.example),
    schema: row.schema as JsonSchema | null,
    archived: row.archivedAt !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function createEventType(db: Db, appId: string, input: NewEventType): Promise<EventType> {
  checkFields(input.example, input.schema);
  try {
    return await db.eventType.create({
      data: {
        id: newId("eventType"),
        appId,
        name: input.name,
        description: input.description,
        example: input.example,
        schema: input.schema === null ? undefined : (input.schema as Prisma.InputJsonObject),
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        `name: event type ${input.name} already exists in this app (archived ones too: restore it with archived: false)`,
        "name",
      );
    }
    throw error;
  }
}

/** The app's event type by name, archived or not; another app's is simply not found. */
export async function getEventType(db: Db, appId: string, name: string): Promise<EventType> {
  // Flat, so that a name holding U+0000 finds nothing (lib/platform/db.ts).
  const row = await db.eventType.findFirst({ where: { appId, name } });
  if (!row) throw new NotFoundError("event type");
  return row;
}

export async function listEventTypesPage(db: Db, appId: string, page: PageQuery, includeArchived: boolean) {
  const args = pageArgs(page);
  const rows = await db.eventType.findMany({
    ...args,
    where: { ...args.where, appId, ...(includeArchived ? {} : { archivedAt: null }) },
  });
  return toPage(rows, page.limit, toEventTypeResource);
}

/** The whole catalogue by name, for the pages: a catalogue is tens of types, not thousands. */
export async function listCatalogue(db: Db, appId: string, options: { includeArchived: boolean }) {
  return db.eventType.findMany({
    where: { appId, ...(options.includeArchived ? {} : { archivedAt: null }) },
    orderBy: { name: "asc" },
    take: 1000,
  });
}

export async function updateEventType(
  db: Db,
  appId: string,
  name: string,
  changes: EventTypeChanges,
): Promise<EventType> {
  const existing = await getEventType(db, appId, name);
  if (Object.keys(changes).length === 0) {
    throw new ValidationError("nothing to update: send description, example, schema or archived");
  }
  const example = changes.example ?? existing.example;
  const schema = changes.schema !== undefined ? changes.schema : (existing.schema as JsonSchema | null);
  // A new schema is checked against the kept example, and a new example against the kept schema.
  checkFields(example, schema);
  return db.eventType.update({
    where: { id: existing.id },
    data: {
      description: changes.description,
      example: changes.example,
      schema:
        changes.schema === undefined
          ? undefined
          : changes.schema === null
            ? Prisma.DbNull
            : (changes.schema as Prisma.InputJsonObject),
      archivedAt:
        changes.archived === undefined ? undefined : changes.archived ? (existing.archivedAt ?? new Date()) : null,
    },
  });
}

/** The types offered when subscribing an endpoint or sending a test event: the catalogue without the archived ones. */
export async function catalogueChoices(db: Db, appId: string): Promise<Array<{ name: string; description: string }>> {
  const rows = await listCatalogue(db, appId, { includeArchived: false });
  return rows.map((row) => ({ name: row.name, description: row.description }));
}
