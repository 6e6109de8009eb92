import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { CopyButton } from "@/components/copy-button";
import { DeliveryView } from "@/components/delivery-view";
import { LiveProvider, LiveToggle } from "@/components/live";
import { Shell } from "@/components/topbar";
import { canMutate } from "@/lib/auth/caller";
import { orNotFound, requireApp, requireCaller } from "@/lib/auth/page";
import { getDb } from "@/lib/platform/db";
import { getDeliveryDetail } from "@/lib/dashboard/deliveries";

export const dynamic = "force-dynamic";

/** A delivery's page reads its attempts this often while live: a retry shows within about this long. */
const DELIVERY_REFRESH_MS = 2_000;

export default async function DeliveryPage({ params }: { params: Promise<{ appId: string; deliveryId: string }> }) {
  const caller = await requireCaller();
  const { appId, deliveryId } = await params;
  const app = await requireApp(caller, appId);
  const delivery = await orNotFound(() => getDeliveryDetail(getDb(), app.id, deliveryId));
  return (
    <Shell caller={caller} appId={app.id}>
      <Breadcrumbs
        trail={[
          ...appTrail(caller.kind, app),
          { href: `/apps/${app.id}/endpoints/${delivery.endpoint.id}`, label: delivery.endpoint.url },
        ]}
        current="Delivery"
      />
      <LiveProvider intervalMs={DELIVERY_REFRESH_MS}>
        <div className="page-head">
          <h1>Delivery</h1>
          <LiveToggle />
        </div>
        <p className="subtitle mono">
          {delivery.id}
          <CopyButton value={delivery.id} label="delivery id" />
        </p>
        <DeliveryView initial={delivery} allowed={canMutate(caller)} />
      </LiveProvider>
    </Shell>
  );
}
