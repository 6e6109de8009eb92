import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { Suspense } from "react";
import { CopyButton } from "@/components/copy-button";
import { DeliveryLog } from "@/components/delivery-log";
import { EndpointActions } from "@/components/endpoint-actions";
import { ReplayForm } from "@/components/replay-form";
import { OutcomeBadge } from "@/components/status-badge";
import { AttemptsChart } from "@/components/charts/attempts-chart";
import { LiveProvider, LiveToggle } from "@/components/live";
import { TimeAgo } from "@/components/time-ago";
import { Shell } from "@/components/topbar";
import { canMutate } from "@/lib/auth/caller";
import { orNotFound, requireApp, requireCaller } from "@/lib/auth/page";
import { getDb } from "@/lib/platform/db";
import { getEndpointOverview } from "@/lib/dashboard/endpoints";
import { logFilterSchema } from "@/lib/dashboard/log-filter";
import { logRetentionNotice } from "@/lib/dashboard/log-retention";
import { getConfig } from "@/lib/platform/config";
import { MAX_PREVIOUS_SECRETS } from "@/lib/endpoints/previous-secrets";
import { catalogueChoices } from "@/lib/event-types/event-types";

export const dynamic = "force-dynamic";

/** The page (figures, chart, log) is read again this often while it is live. */
const REFRESH_MS = 3_000;

export default async function EndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ appId: string; endpointId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requireCaller();
  const { appId, endpointId } = await params;
  const app = await requireApp(caller, appId);
  const db = getDb();
  const endpoint = await orNotFound(() => getEndpointOverview(db, app.id, endpointId));
  const parsed = logFilterSchema.safeParse(await searchParams);
  const filter = parsed.success ? parsed.data : logFilterSchema.parse({});
  const allowed = canMutate(caller);
  return (
    <Shell caller={caller} appId={app.id}>
      <LiveProvider intervalMs={REFRESH_MS} refreshPage>
        <Breadcrumbs trail={appTrail(caller.kind, app)} current="Endpoint" />
        <div className="page-head">
          <h1 className="break">
            {endpoint.url}
            <CopyButton value={endpoint.url} label="endpoint URL" />
          </h1>
          <div className="page-head-side">
            {/* On a phone the log is below a screen of figures and actions: one tap away instead. */}
            <a href="#deliveries" className="jump-link">
              Deliveries <span aria-hidden="true">↓</span>
            </a>
            <LiveToggle />
          </div>
        </div>
        <p className="subtitle">
          {endpoint.description || "No description"} ·{" "}
          {endpoint.eventTypes.length === 0 ? "all event types" : endpoint.eventTypes.join(", ")}
        </p>
        {endpoint.disabled && (
          <p className="notice" role="status">
            Disabled on <TimeAgo iso={endpoint.disabledAt} />: {endpoint.disabledReason ?? "no reason recorded"}. It
            gets no new deliveries until it is enabled.
          </p>
        )}
        {endpoint.warning && endpoint.failingSince && (
          <p className="notice" role="status">
            Failing{endpoint.warning.failureClass ? ` (${endpoint.warning.failureClass})` : ""} since{" "}
            <TimeAgo iso={endpoint.failingSince} />. Hookpost disables it on{" "}
            <TimeAgo iso={endpoint.warning.disablesAt} /> unless a delivery succeeds first.
          </p>
        )}
        <div className="grid stats" style={{ marginBottom: 12, marginTop: 12 }}>
          <div className="panel stat">
            <div className="label">Success rate, 24 h</div>
            <div className="value">
              {endpoint.successRate24h === null ? "–" : `${Math.round(endpoint.successRate24h * 100)}%`}
            </div>
            <div className="muted small">{endpoint.attempts24h} attempts</div>
          </div>
          <div className="panel stat">
            <div className="label">Last attempt</div>
            <div className="value">
              {endpoint.lastAttempt ? (
                <OutcomeBadge statusCode={endpoint.lastAttempt.statusCode} error={endpoint.lastAttempt.error} />
              ) : (
                "–"
              )}
            </div>
            <div className="muted small">
              <TimeAgo iso={endpoint.lastAttempt?.at ?? null} />
            </div>
          </div>
          <section className="panel stat chart-panel" aria-label="Attempts, last 24 hours">
            <div className="label">Attempts, last 24 hours</div>
            <AttemptsChart
              buckets={endpoint.chart.map(({ hour, succeeded, failed }) => ({ start: hour, succeeded, failed }))}
              bucketMinutes={60}
              height={150}
            />
          </section>
        </div>
        <EndpointActions
          appId={app.id}
          endpointId={endpoint.id}
          disabled={endpoint.disabled}
          allowed={allowed}
          previousSecrets={endpoint.previousSecrets}
          maxPreviousSecrets={MAX_PREVIOUS_SECRETS}
          testEventTypes={(await catalogueChoices(db, app.id)).map((type) => type.name)}
        />
        <ReplayForm appId={app.id} endpointId={endpoint.id} allowed={allowed} />
        <h2 id="deliveries">Deliveries</h2>
        <p className="muted small" data-testid="log-retention">
          {logRetentionNotice(getConfig().RETENTION)}
        </p>
        {!parsed.success && <p className="form-error">Some filters in the address were not valid and were ignored.</p>}
        {/* Keyed by the view, so a new filter shows the loading state rather than stale rows. */}
        <Suspense
          key={JSON.stringify(filter)}
          fallback={
            <p className="loading" role="status">
              Loading deliveries…
            </p>
          }
        >
          <DeliveryLog appId={app.id} endpointId={endpoint.id} filter={filter} />
        </Suspense>
      </LiveProvider>
    </Shell>
  );
}
