import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { EndpointForm } from "@/components/endpoint-form";
import { Shell } from "@/components/topbar";
import { canMutate } from "@/lib/auth/caller";
import { requireApp, requireCaller } from "@/lib/auth/page";
import { catalogueChoices } from "@/lib/event-types/event-types";
import { getDb } from "@/lib/platform/db";

export const dynamic = "force-dynamic";

export default async function NewEndpointPage({ params }: { params: Promise<{ appId: string }> }) {
  const caller = await requireCaller();
  const app = await requireApp(caller, (await params).appId);
  return (
    <Shell caller={caller} appId={app.id}>
      <Breadcrumbs trail={appTrail(caller.kind, app)} current="Add an endpoint" />
      <h1>Add an endpoint</h1>
      <p className="subtitle">Hookpost signs every request; the secret is created for you.</p>
      {canMutate(caller) ? (
        <EndpointForm appId={app.id} catalogue={await catalogueChoices(getDb(), app.id)} />
      ) : (
        <p className="notice">Your role cannot add endpoints.</p>
      )}
    </Shell>
  );
}
