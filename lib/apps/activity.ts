// The activity log of an app: who retried, replayed, rotated, created,
// edited, enabled or disabled what, and when. Written by the dashboard's
// commands next to the change they describe.
import type { Prisma } from "@prisma/client";
import type { Db, Tx } from "../platform/db";
import { newId } from "../platform/ids";
import { pageArgs, toPage, type PageQuery } from "../platform/pagination";

export type ActivityAction =
  | "endpoint.created"
  | "endpoint.updated"
  | "endpoint.disabled"
  | "endpoint.enabled"
  | "endpoint.secret_rotated"
  | "endpoint.secret_revealed"
  | "endpoint.test_sent"
  | "endpoint.replayed"
  | "delivery.retried";

export interface ActivityInput {
  appId: string;
  actor: string;
  action: ActivityAction;
  targetType: "endpoint" | "delivery";
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
