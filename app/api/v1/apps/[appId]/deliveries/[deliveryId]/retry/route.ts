import { apiRoute, json } from "@/lib/api/route";
import { retryDelivery, type RetryQueued } from "@/lib/deliveries/retry";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

export const POST = apiRoute<{ appId: string; deliveryId: string }>(async ({ params, caller }) => {
  await retryDelivery(getUseCaseDeps(), caller, params);
  return json({ status: "queued" } satisfies RetryQueued, 202);
});
