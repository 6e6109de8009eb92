// Operational events: what an operator should hear about without watching
// the dashboard. Recorded in the same transaction as the change they
// describe; posted to OPERATOR_WEBHOOK_URL by the worker when one is set.
import type { Prisma } from "@prisma/client";
import type { Tx } from "../platform/db";
import { newId } from "../platform/ids";

export type OperationalEventType = "endpoint.disabled" | "delivery.exhausted";

export async function recordOperationalEvent(
  tx: Tx,
  type: OperationalEventType,
  appId: string,
  payload: Prisma.InputJsonObject,
): Promise<string> {
  const id = newId("operationalEvent");
  await tx.operationalEvent.create({ data: { id, type, appId, payload } });
  return id;
}
