// Apps: one per consumer of the operator.
import type { App } from "@prisma/client";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import type { Db } from "../platform/db";
import { ConflictError, NotFoundError, ValidationError } from "../platform/errors";
import { newId } from "../platform/ids";
import { pageArgs, toPage, type PageQuery } from "../platform/pagination";
import { isUniqueViolation } from "../platform/prisma-errors";
import { brandingFields } from "./branding";

export const createAppSchema = z
  .object({
    name: z.string().trim().min(1).max(256),
    uid: z
      .string()
      .regex(/^[a-zA-Z0-9\-_.]{1,256}$/, "uid may contain letters, digits, '-', '_' and '.' (at most 256)")
      .refine((uid) => !uid.startsWith("app_"), "uid must not start with app_, which is reserved for ids")
      .optional()
      .meta({ description: "Your own name for the app, usable wherever its id is; must not start with `app_`" }),
    displayName: brandingFields.displayName.optional(),
    logoUrl: brandingFields.logoUrl.optional(),
    accentColor: brandingFields.accentColor.optional(),
  })
  .meta({ id: "CreateApp" });

/** What PATCH /apps/{app} and the dashboard's app settings change. */
export const updateAppSchema = z
  .object({ name: z.string().trim().min(1).max(256), ...brandingFields })
  .partial()
  .meta({ id: "UpdateApp" });

export type AppChanges = z.infer<typeof updateAppSchema>;

/** An app as the API answers it. */
export const appSchema = z
  .object({
    id: z.string().meta({ example: "app_01JF3Z8Q6N2V7W4X5Y6Z7A8B9C" }),
    name: z.string(),
    uid: z.string().nullable(),
    displayName: z.string().nullable().meta({ description: "The name the portal shows instead of `name`" }),
    logoUrl: z.string().nullable().meta({ description: "An https URL of the logo the portal shows" }),
    accentColor: z.string().nullable().meta({ description: "The portal's accent colour, as #rrggbb" }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "App" });

export type AppResource = z.output<typeof appSchema>;

export function toAppResource(app: App): AppResource {
  return {
    id: app.id,
    name: app.name,
    uid: app.uid,
    displayName: app.displayName,
    logoUrl: app.logoUrl,
    accentColor: app.accentColor,
    createdAt: app.createdAt.toISOString(),
  };
}

export async function createApp(db: Db, input: z.infer<typeof createAppSchema>) {
  try {
    return await db.app.create({
      data: {
        id: newId("app"),
        name: input.name,
        uid: input.uid ?? null,
        displayName: input.displayName ?? null,
        logoUrl: input.logoUrl ?? null,
        accentColor: input.accentColor ?? null,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("an app with this uid already exists", "uid");
    throw error;
  }
}

/**
 * Apps' ids by the id or uid a request names. Neither changes after an app
 * is created, so the hot path (ingestion) remembers the answer instead of
 * asking the database on every event; concurrent requests for an app not
 * remembered share one lookup.
 */
const appIds = new LRUCache<string, string, Db>({
  max: 10_000,
  ttl: 60_000,
  // An unknown app is not kept, so one created a moment later is found.
  fetchMethod: async (appIdOrUid, _stale, { context: db }) => (await findApp(db, appIdOrUid))?.id,
});

/** The id of the app named by its id or uid; NotFoundError when there is none. */
export async function resolveAppId(db: Db, appIdOrUid: string): Promise<string> {
  const id = await appIds.fetch(appIdOrUid, { context: db });
  if (!id) throw new NotFoundError("app");
  return id;
}

/** Finds an app by its id or its uid. */
export async function getApp(db: Db, appIdOrUid: string): Promise<App> {
  const app = await findApp(db, appIdOrUid);
  if (!app) throw new NotFoundError("app");
  return app;
}

function findApp(db: Db, appIdOrUid: string): Promise<App | null> {
  return db.app.findFirst({ where: appIdOrUid.startsWith("app_") ? { id: appIdOrUid } : { uid: appIdOrUid } });
}

export async function listApps(db: Db, page: PageQuery) {
  const rows = await db.app.findMany(pageArgs(page));
  return toPage(rows, page.limit, toAppResource);
}

export async function updateApp(db: Db, appId: string, changes: AppChanges): Promise<App> {
  if (Object.keys(changes).length === 0) {
    throw new ValidationError("nothing to update: send name, displayName, logoUrl or accentColor");
  }
  return db.app.update({ where: { id: appId }, data: changes });
}
