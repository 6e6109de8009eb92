// The app an endpoint or a delivery belongs to, for commands that name the
// object alone: the use case is then called with that app, and checks it
// as it checks any caller's.
import type { Db } from "../../lib/platform/db";
import { NotFoundError } from "../../lib/platform/errors";

export async function appOfEndpoint(db: Db, app: string | undefined, endpointId: string): Promise<string> {
  if (app !== undefined) return app;
  const endpoint = await db.endpoint.findUnique({ where: { id: endpointId }, select: { appId: true } });
  if (!endpoint) throw new NotFoundError("endpoint");
  return endpoint.appId;
}

export async function appOfDelivery(db: Db, app: string | undefined, deliveryId: string): Promise<string> {
  if (app !== undefined) return app;
  const delivery = await db.delivery.findUnique({ where: { id: deliveryId }, select: { appId: true } });
  if (!delivery) throw new NotFoundError("delivery");
  return delivery.appId;
}
