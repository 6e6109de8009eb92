import Link from "next/link";
import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { CopyButton } from "@/components/copy-button";
import { EventTypeArchive } from "@/components/event-type-archive";
import { Shell } from "@/components/topbar";
import { canManageApp } from "@/lib/auth/caller";
import { requireApp, requireCaller } from "@/lib/auth/page";
import { listCatalogue } from "@/lib/event-types/event-types";
import { getDb } from "@/lib/platform/db";
import { indentJson } from "@/lib/platform/json-source";

export const dynamic = "force-dynamic";

export default async function EventTypesPage({ params }: { params: Promise<{ appId: string }> }) {
  const caller = await requireCaller();
  const app = await requireApp(caller, (await params).appId);
  const manage = canManageApp(caller);
  // The consumer sees what it can subscribe to; the operator sees the archived types too.
  const types = await listCatalogue(getDb(), app.id, { includeArchived: caller.kind === "operator" });
  const current = types.filter((type) => type.archivedAt === null);
  const archived = types.filter((type) => type.archivedAt !== null);
  return (
    <Shell caller={caller} appId={app.id}>
      <Breadcrumbs trail={appTrail(caller.kind, app)} current="Event types" />
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <div>
          <h1>Event types</h1>
          <p className="subtitle">
            {caller.kind === "portal"
              ? "The events this service sends, each with an example payload. Subscribe an endpoint to the ones you need."
              : "The catalogue consumers see in their portal, pick from when subscribing, and send as test events."}
          </p>
        </div>
        {manage && (
          <Link className="button primary" href={`/apps/${app.id}/event-types/new`}>
            Add event type
          </Link>
        )}
      </div>
      {current.length === 0 && <div className="panel empty">No event types declared yet.</div>}
      {current.map((type) => (
        <EventTypePanel key={type.id} appId={app.id} type={type} manage={manage} />
      ))}
      {archived.length > 0 && (
        <>
          <h2>Archived</h2>
          <p className="muted small">Not shown to consumers nor offered when subscribing; endpoints keep them.</p>
          {archived.map((type) => (
            <EventTypePanel key={type.id} appId={app.id} type={type} manage={manage} />
          ))}
        </>
      )}
    </Shell>
  );
}

function EventTypePanel({
  appId,
  type,
  manage,
}: {
  appId: string;
  type: { name: string; description: string; example: string; schema: unknown; archivedAt: Date | null };
  manage: boolean;
}) {
  const headingId = `type-${type.name}`;
  const example = indentJson(type.example);
  return (
    <section className="panel event-type" aria-labelledby={headingId}>
      <div className="section-head">
        <h3 id={headingId} className="mono break">
          {type.name}
        </h3>
        {manage && (
          <>
            <Link
              className="button"
              href={`/apps/${appId}/event-types/${encodeURIComponent(type.name)}/edit`}
              aria-label={`Edit ${type.name}`}
            >
              Edit
            </Link>
            <EventTypeArchive appId={appId} name={type.name} archived={type.archivedAt !== null} />
          </>
        )}
      </div>
      <p className="break" style={{ margin: "4px 0 8px" }}>
        {type.description || <span className="muted">No description</span>}
      </p>
      <div className="section-head">
        <span className="small muted">Example payload</span>
        <CopyButton value={example} label={`example of ${type.name}`} />
      </div>
      <pre className="body" aria-label={`Example payload of ${type.name}`}>
        {example}
      </pre>
      {type.schema !== null && (
        <details style={{ marginTop: 8 }}>
          <summary className="small">JSON Schema</summary>
          <pre className="body">{JSON.stringify(type.schema, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}
