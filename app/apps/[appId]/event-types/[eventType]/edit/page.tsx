import { notFound } from "next/navigation";
import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { EventTypeForm } from "@/components/event-type-form";
import { Shell } from "@/components/topbar";
import { canManageApp } from "@/lib/auth/caller";
import { orNotFound, requireApp, requireCaller } from "@/lib/auth/page";
import { getEventType } from "@/lib/event-types/event-types";
import { getDb } from "@/lib/platform/db";
import { indentJson } from "@/lib/platform/json-source";

export const dynamic = "force-dynamic";

export default async function EditEventTypePage({ params }: { params: Promise<{ appId: string; eventType: string }> }) {
  const caller = await requireCaller();
  const { appId, eventType } = await params;
  const app = await requireApp(caller, appId);
  if (caller.kind === "portal") notFound();
  const type = await orNotFound(() => getEventType(getDb(), app.id, eventType));
  return (
    <Shell caller={caller} appId={app.id}>
      <Breadcrumbs
        trail={[...appTrail(caller.kind, app), { href: `/apps/${app.id}/event-types`, label: "Event types" }]}
        current={type.name}
      />
      <h1 className="break">Edit {type.name}</h1>
      {canManageApp(caller) ? (
        <EventTypeForm
          appId={app.id}
          eventType={{
            name: type.name,
            description: type.description,
            example: indentJson(type.example),
            schema: type.schema === null ? "" : JSON.stringify(type.schema, null, 2),
          }}
        />
      ) : (
        <p className="notice">Your role cannot change the catalogue.</p>
      )}
    </Shell>
  );
}
