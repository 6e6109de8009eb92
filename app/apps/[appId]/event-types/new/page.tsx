import { notFound } from "next/navigation";
import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { EventTypeForm } from "@/components/event-type-form";
import { Shell } from "@/components/topbar";
import { canManageApp } from "@/lib/auth/caller";
import { requireApp, requireCaller } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

export default async function NewEventTypePage({ params }: { params: Promise<{ appId: string }> }) {
  const caller = await requireCaller();
  const app = await requireApp(caller, (await params).appId);
  // The catalogue is the operator's: the portal has no page to change it.
  if (caller.kind === "portal") notFound();
  return (
    <Shell caller={caller} appId={app.id}>
      <Breadcrumbs
        trail={[...appTrail(caller.kind, app), { href: `/apps/${app.id}/event-types`, label: "Event types" }]}
        current="Add"
      />
      <h1>Add an event type</h1>
      {canManageApp(caller) ? (
        <EventTypeForm appId={app.id} />
      ) : (
        <p className="notice">Your role cannot change the catalogue.</p>
      )}
    </Shell>
  );
}
