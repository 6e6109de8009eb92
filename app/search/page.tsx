// The top bar's search: straight to the one object a key names, else the
// list of what it names, or "nothing found". Operators search every app, a
// consumer in the portal their own app only.
import Link from "next/link";
import { redirect } from "next/navigation";
import { StatusBadge } from "@/components/status-badge";
import { Shell } from "@/components/topbar";
import { requireCaller } from "@/lib/auth/page";
import { hitHref, hitId, onlyDestination, search, searchQuerySchema, type SearchHit } from "@/lib/dashboard/search";
import { getDb } from "@/lib/platform/db";

export const dynamic = "force-dynamic";

const KIND_LABELS: Record<SearchHit["kind"], string> = {
  app: "App",
  endpoint: "Endpoint",
  delivery: "Delivery",
  event: "Event",
};

function HitTitle({ hit }: { hit: SearchHit }) {
  const href = hitHref(hit);
  const text =
    hit.kind === "app"
      ? hit.appName
      : hit.kind === "endpoint"
        ? hit.url
        : hit.kind === "delivery"
          ? `${hit.eventType} to ${hit.endpointUrl}`
          : `${hit.eventType} (${hit.eventId})`;
  return href ? (
    <Link className="break" href={href}>
      {text}
    </Link>
  ) : (
    <span className="break">{text}</span>
  );
}

function Hit({ hit, showApp }: { hit: SearchHit; showApp: boolean }) {
  return (
    <li className="hit">
      <div className="hit-head">
        <span className="badge">{KIND_LABELS[hit.kind]}</span>
        <HitTitle hit={hit} />
        {hit.kind === "delivery" && <StatusBadge status={hit.status} />}
      </div>
      <div className="muted small">
        {showApp && hit.kind !== "app" && <>in {hit.appName} · </>}
        {hit.kind === "app" && (hit.uid ? `uid ${hit.uid} · ${hit.appId}` : hit.appId)}
        {hit.kind === "endpoint" && <span className="mono">{hit.endpointId}</span>}
        {hit.kind === "delivery" && <span className="mono">{hit.deliveryId}</span>}
        {hit.kind === "event" && `found by its ${hit.matched}`}
      </div>
      {hit.kind === "event" &&
        (hit.deliveries.length === 0 ? (
          <p className="muted small">No deliveries: no endpoint was subscribed to it.</p>
        ) : (
          hit.deliveries.length > 1 && (
            <ul className="hit-deliveries" aria-label={`Deliveries of ${hit.eventId}`}>
              {hit.deliveries.map((delivery) => (
                <li key={delivery.id}>
                  <StatusBadge status={delivery.status} />{" "}
                  <Link className="break" href={`/apps/${hit.appId}/deliveries/${delivery.id}`}>
                    to {delivery.endpointUrl}
                  </Link>
                </li>
              ))}
            </ul>
          )
        ))}
    </li>
  );
}

export default async function SearchPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requireCaller();
  const params = await searchParams;
  // No key yet (the address typed by hand) is no error: the page says what can be found.
  const parsed = searchQuerySchema.safeParse({ ...params, q: params.q ?? "" });
  const scope = caller.kind === "portal" ? { kind: "app" as const, appId: caller.appId } : { kind: "all" as const };
  const key = parsed.success ? parsed.data.q : undefined;
  const hits = key === undefined ? [] : await search(getDb(), key, scope);
  const destination = onlyDestination(hits);
  if (destination) redirect(destination);
  return (
    <Shell caller={caller} search={key}>
      <h1>Search</h1>
      <p className="subtitle">
        {caller.kind === "portal"
          ? "Find an event, a delivery or an endpoint by its id, or an event by its idempotency key."
          : "Find an event, a delivery, an endpoint or an app by its id, an event by its idempotency key, or an app by its uid."}
      </p>
      {!parsed.success ? (
        <p className={params.q === undefined ? "panel empty" : "panel empty form-error"} role="status">
          {params.q === undefined ? "Type a key in the search box above." : `${parsed.error.issues[0]?.message}.`}
        </p>
      ) : hits.length === 0 ? (
        <p className="panel empty" role="status">
          Nothing found for “<span className="break">{key}</span>”.
        </p>
      ) : (
        <>
          <p className="muted small" role="status">
            {hits.length === 1 ? "1 result" : `${hits.length} results`} for “<span className="break">{key}</span>”
          </p>
          <ul className="panel hits" aria-label="Results">
            {hits.map((hit) => (
              <Hit key={`${hit.kind}-${hitId(hit)}`} hit={hit} showApp={caller.kind === "operator"} />
            ))}
          </ul>
        </>
      )}
    </Shell>
  );
}
