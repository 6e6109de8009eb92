// The activity log of an app: who retried, replayed, rotated, created,
// edited, enabled, disabled or deleted what, and when, from the dashboard,
// the portal or the API. Written by withActivity (./with-activity.ts) next
// to the change it describes.
import type { Prisma } from "@prisma/client";
import type { Db, Tx } from "../platform/db";
import { newId } from "../platform/ids";
import { pageArgs, toPage, type PageQuery } from "../platform/pagination";

export type ActivityAction =
  | "endpoint.created"
  | "endpoint.updated"
  | "endpoint.disabled"
  | "endpoint.enabled"
  | "endpoint.deleted"
  | "endpoint.headers_set"
  | "endpoint.secret_rotated"
  | "endpoint.secret_revealed"
  | "endpoint.test_sent"
  | "endpoint.replayed"
  | "delivery.retried"
  | "event_type.created"
  | "event_type.updated"
  | "event_type.archived"
  | "event_type.restored"
  | "app.updated";

export interface ActivityInput {
  appId: string;
  /** A user's email, "portal" for the app's consumer, or "api key <name>" (lib/auth/caller.ts). */
  actor: string;
  action: ActivityAction;
  targetType: "endpoint" | "delivery" | "event_type" | "app";
  targetId: string;
  details?: Prisma.InputJsonObject;
}

export async function recordActivity(db: Db | Tx, input: ActivityInput): Promise<void> {
  await db.activity.create({ data: { id: newId("activity"), ...input, details: input.details ?? {} } });
}

export async function listActivity(db: Db, appId: string, page: PageQuery) {
  const args = pageArgs(page);
  const rows = await db.activity.findMany({ ...args, where: { ...args.where, appId } });
  return toPage(rows, page.limit, (row) => ({
    id: row.id,
    actor: row.actor,
    action: row.action as ActivityAction,
    targetType: row.targetType,
    targetId: row.targetId,
    details: row.details as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  }));
}
