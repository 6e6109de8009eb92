"use client";
// A delivery with every attempt, kept current while the page is live (the
// LiveProvider around it ticks). "Retry" queues one attempt through the
// worker; the page turns live, if it was paused, and says it is waiting
// until the attempt is recorded.
import { TableScroller } from "./table-scroller";
import { useCallback, useState } from "react";
import { getDeliveryAction, retryDeliveryAction } from "@/app/apps/actions";
import type { DeliveryDetail } from "@/lib/dashboard/deliveries";
import { CopyButton } from "./copy-button";
import { useLive, useLiveRead } from "./live";
import { OutcomeBadge, StatusBadge } from "./status-badge";
import { TimeAgo } from "./time-ago";

/** Stop waiting for a queued retry after this long (the worker may be down); the page still shows what it has. */
const RETRY_WAIT_MS = 60_000;

export function DeliveryView({ initial, allowed }: { initial: DeliveryDetail; allowed: boolean }) {
  const [delivery, setDelivery] = useState(initial);
  const [waitingFor, setWaitingFor] = useState<{ count: number; until: number }>();
  const [error, setError] = useState<string>();
  /** The last live read's failure, until a read succeeds again. */
  const [readError, setReadError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [payloadExpanded, setPayloadExpanded] = useState(false);
  const { setLive } = useLive();

  const waiting =
    waitingFor !== undefined && delivery.attempts.length < waitingFor.count && Date.now() < waitingFor.until;

  const refresh = useCallback(async () => {
    const result = await getDeliveryAction({ appId: initial.appId, deliveryId: initial.id });
    if (result.ok) {
      setDelivery(result.data);
      setReadError(undefined);
    } else setReadError(`Could not update the page: ${result.status}: ${result.message}`);
  }, [initial.appId, initial.id]);
  useLiveRead(refresh);

  async function retry() {
    setBusy(true);
    setError(undefined);
    const result = await retryDeliveryAction({ appId: initial.appId, deliveryId: initial.id });
    setBusy(false);
    if (!result.ok) {
      setError(`${result.status}: ${result.message}`);
      return;
    }
    setWaitingFor({ count: delivery.attempts.length + 1, until: Date.now() + RETRY_WAIT_MS });
    setLive(true);
  }

  const latestHeaders = delivery.attempts[0]?.requestHeaders;
  return (
    <>
      <div className="two-col">
        <div className="panel">
          <dl className="meta">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={delivery.status} />
            </dd>
            <dt>Event</dt>
            <dd className="mono">
              {delivery.event.id}
              <CopyButton value={delivery.event.id} label="event id" />
              {delivery.event.externalId && <span className="muted"> ({delivery.event.externalId})</span>}
            </dd>
            <dt>Event type</dt>
            <dd className="mono">{delivery.event.eventType}</dd>
            <dt>Created</dt>
            <dd>
              <TimeAgo iso={delivery.createdAt} />
            </dd>
            <dt>Next attempt</dt>
            <dd data-testid="next-attempt">
              {delivery.held ? (
                <span data-testid="held">
                  Waiting: the endpoint keeps failing, so its deliveries wait, unsent, until it answers a probe with
                  2xx.{" "}
                  {delivery.held.probeAt && (
                    <>
                      Next probe <TimeAgo iso={delivery.held.probeAt} />.{" "}
                    </>
                  )}
                  {delivery.held.expiresAt && (
                    <>
                      Fails if still waiting <TimeAgo iso={delivery.held.expiresAt} />.
                    </>
                  )}
                </span>
              ) : delivery.nextAttemptAt ? (
                <TimeAgo iso={delivery.nextAttemptAt} />
              ) : (
                <span className="muted">none scheduled</span>
              )}
            </dd>
            {delivery.failureReason && (
              <>
                <dt>Failed</dt>
                <dd data-testid="failure-reason">{delivery.failureReason}</dd>
              </>
            )}
            <dt>Endpoint</dt>
            <dd className="break">
              {delivery.endpoint.url}
              <CopyButton value={delivery.endpoint.url} label="endpoint URL" />
            </dd>
          </dl>
        </div>
        <div className="panel">
          <h2 className="panel-title">Retry</h2>
          <p className="small muted" style={{ marginTop: 0 }}>
            Sends one more attempt now, through the worker. It does not change the retry schedule.
          </p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={!allowed || busy || waiting}
              onClick={() => void retry()}
            >
              Retry
            </button>
            {waiting && (
              <span className="small muted" role="status">
                Waiting for the attempt…
              </span>
            )}
          </div>
          {!allowed && <p className="muted small">Your role can look but not retry.</p>}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {readError && <p className="form-error">{readError}</p>}
        </div>
      </div>

      <div className="section-head">
        <h2>Payload</h2>
        <CopyButton value={delivery.event.payload} label="payload" />
        <button
          type="button"
          className="copy"
          aria-expanded={payloadExpanded}
          onClick={() => setPayloadExpanded(!payloadExpanded)}
        >
          {payloadExpanded ? "Collapse" : "Expand"}
        </button>
      </div>
      <pre className={payloadExpanded ? "body expanded" : "body"} data-testid="payload">
        {delivery.event.payload}
      </pre>

      {latestHeaders && (
        <>
          <h2>Headers sent (latest attempt)</h2>
          <TableScroller label="Headers sent">
            <table>
              <tbody>
                {Object.entries(latestHeaders).map(([name, value]) => (
                  <tr key={name}>
                    <td className="mono nowrap">{name}</td>
                    <td className="mono small break">{value}</td>
                    <td className="nowrap">
                      <CopyButton value={value} label={name} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        </>
      )}

      <h2>Attempts ({delivery.attempts.length})</h2>
      <div className="panel" data-testid="attempts">
        {delivery.attempts.length === 0 ? (
          <p className="empty">
            No attempt yet{delivery.status === "pending" ? ": the first one is on its way." : "."}
          </p>
        ) : (
          delivery.attempts.map((attempt) => (
            <section
              className="attempt"
              key={attempt.id}
              data-attempt-id={attempt.id}
              aria-label={`Attempt ${attempt.id}`}
            >
              <div className="attempt-head">
                <OutcomeBadge statusCode={attempt.responseStatusCode} error={attempt.error} />
                <span>
                  <TimeAgo iso={attempt.createdAt} />
                </span>
                <span className="muted small">
                  {attempt.trigger === "manual" ? `manual, by ${attempt.triggeredBy ?? "unknown"}` : "scheduled"}
                </span>
                <span className="muted small">{attempt.durationMs} ms</span>
              </div>
              {attempt.errorDetail && <p className="small muted">{attempt.errorDetail}</p>}
              {attempt.traceId && (
                <p className="small muted" data-testid="trace-id">
                  Trace <span className="mono">{attempt.traceId}</span>
                </p>
              )}
              {attempt.responseBody !== null && attempt.responseBody !== "" ? (
                <>
                  <pre className="body" data-testid="response-body">
                    {attempt.responseBody}
                  </pre>
                  <CopyButton value={attempt.responseBody} label="response body" />
                </>
              ) : (
                <p className="small muted">No response body.</p>
              )}
            </section>
          ))
        )}
      </div>
    </>
  );
}
