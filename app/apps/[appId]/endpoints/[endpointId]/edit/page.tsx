import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { EndpointForm } from "@/components/endpoint-form";
import { Shell } from "@/components/topbar";
import { canMutate } from "@/lib/auth/caller";
import { orNotFound, requireApp, requireCaller } from "@/lib/auth/page";
import { getDb } from "@/lib/platform/db";
import { getEndpoint } from "@/lib/endpoints/endpoints";
import { catalogueChoices } from "@/lib/event-types/event-types";

export const dynamic = "force-dynamic";

export default async function EditEndpointPage({ params }: { params: Promise<{ appId: string; endpointId: string }> }) {
  const caller = await requireCaller();
  const { appId, endpointId } = await params;
  const app = await requireApp(caller, appId);
  const endpoint = await orNotFound(() => getEndpoint(getDb(), app.id, endpointId));
  return (
    <Shell caller={caller} appId={app.id}>
      <Breadcrumbs
        trail={[
          ...appTrail(caller.kind, app),
          { href: `/apps/${app.id}/endpoints/${endpoint.id}`, label: endpoint.url },
        ]}
        current="Edit"
      />
      <h1>Edit endpoint</h1>
      {canMutate(caller) ? (
        <EndpointForm
          appId={app.id}
          catalogue={await catalogueChoices(getDb(), app.id)}
          endpoint={{
            id: endpoint.id,
            url: endpoint.url,
            description: endpoint.description,
            eventTypes: endpoint.eventTypes,
          }}
        />
      ) : (
        <p className="notice">Your role cannot edit endpoints.</p>
      )}
    </Shell>
  );
}
