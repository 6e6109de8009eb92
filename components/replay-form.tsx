"use client";
// "Replay failed": choose a range, see how many deliveries it covers, then
// confirm. The server queues them spread out over time; the form then
// follows the replay while the page is live: how many are still to go, how
// many succeeded and how many failed again; after a reload too, since it
// asks once for the reader's latest replay of the endpoint.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import {
  latestReplayAction,
  previewReplayAction,
  replayFailedAction,
  replayProgressAction,
} from "@/app/apps/actions";
import type { FollowedReplay } from "@/lib/dashboard/replay-progress";
import { replayFormSchema } from "@/lib/dashboard/schemas";
import { ConfirmDialog } from "./confirm-dialog";
import { textField } from "./form-fields";
import { TimeAgo } from "./time-ago";
import { useLive, useLiveRead } from "./live";
import { fromInputValue, toInputValue, useTimeZone } from "./time-zone";

export function ReplayForm({ appId, endpointId, allowed }: { appId: string; endpointId: string; allowed: boolean }) {
  const { zone, label: zoneLabel } = useTimeZone();
  const [now] = useState(() => Date.now());
  const defaults = {
    from: toInputValue(new Date(now - 24 * 3_600_000), zone),
    to: toInputValue(new Date(now + 60_000), zone),
  };
  const [pending, setPending] = useState<{
    input: { from: string; to: string; eventTypes: string };
    count: number;
    perSecond: number;
  }>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [replay, setReplay] = useState<FollowedReplay>();
  const panel = useRef<HTMLDetailsElement>(null);
  const { setLive } = useLive();
  const remaining = replay ? Math.max(0, replay.queued - replay.succeeded - replay.failed) : 0;

  const readProgress = useCallback(async () => {
    if (!replay) return;
    const result = await replayProgressAction({ appId, endpointId, ...replay.input, since: replay.since });
    if (!result.ok) {
      setError(`${result.status}: ${result.message}`);
      return;
    }
    setReplay((current) => (current && current.since === replay.since ? { ...current, ...result.data } : current));
  }, [appId, endpointId, replay]);
  useLiveRead(readProgress, replay !== undefined && remaining > 0);

  // Once, on arrival: a replay the reader began within the hour is followed
  // again, with the panel open. Not on each refresh of the live page.
  useEffect(() => {
    void latestReplayAction({ appId, endpointId }).then((result) => {
      if (!result.ok || !result.data) return;
      const latest = result.data;
      setReplay((current) => current ?? latest);
      if (panel.current) panel.current.open = true;
    });
  }, [appId, endpointId]);

  async function preview(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setDone(undefined);
    setError(undefined);
    setReplay(undefined);
    const form = new FormData(event.currentTarget);
    const input = {
      from: fromInputValue(form.get("from"), zone),
      to: fromInputValue(form.get("to"), zone),
      eventTypes: textField(form, "eventTypes"),
    };
    const checked = replayFormSchema.safeParse(input);
    if (!checked.success) {
      setError(checked.error.issues[0]?.message);
      return;
    }
    setBusy(true);
    const result = await previewReplayAction({ appId, endpointId, ...input });
    setBusy(false);
    if (!result.ok) setError(`${result.status}: ${result.message}`);
    else setPending({ input, count: result.data.count, perSecond: result.data.perSecond });
  }

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    const result = await replayFailedAction({ appId, endpointId, ...pending.input });
    setBusy(false);
    setPending(undefined);
    if (!result.ok) {
      setError(`${result.status}: ${result.message}`);
      return;
    }
    setDone(`Queued ${result.data.queued} deliveries; they go out over about ${result.data.seconds} s.`);
    setReplay({
      input: pending.input,
      since: result.data.startedAt,
      queued: result.data.queued,
      succeeded: 0,
      failed: 0,
    });
    // The reader asked for this: follow it, even if they had paused the page.
    setLive(true);
  }

  return (
    // Collapsed: a rare action, and open it would push the log a screen down on a phone.
    <details className="panel replay" ref={panel}>
      <summary>
        <h2 className="panel-title">Replay failed deliveries</h2>
      </summary>
      <form onSubmit={(event) => void preview(event)} noValidate>
        <div className="filters">
          <div className="field">
            <label htmlFor="replay-from">From ({zoneLabel})</label>
            <input key={zone} id="replay-from" name="from" type="datetime-local" defaultValue={defaults.from} />
          </div>
          <div className="field">
            <label htmlFor="replay-to">To ({zoneLabel})</label>
            <input key={zone} id="replay-to" name="to" type="datetime-local" defaultValue={defaults.to} />
          </div>
          <div className="field">
            <label htmlFor="replay-types">Event types (optional)</label>
            <input id="replay-types" name="eventTypes" placeholder="invoice.paid, user.created" />
          </div>
          <div className="field">
            {/* Not disabled while counting: focus stays on it, and the confirmation gives it back there. */}
            <button type="submit" disabled={!allowed} aria-haspopup="dialog">
              Replay failed
            </button>
          </div>
        </div>
      </form>
      <ConfirmDialog
        open={pending !== undefined}
        title="Replay these failed deliveries?"
        confirmLabel={pending && pending.count > 0 ? `Confirm replay of ${pending.count}` : undefined}
        onClose={() => setPending(undefined)}
        onConfirm={() => void confirm()}
      >
        {pending && (
          <p>
            {pending.count === 0
              ? "No failed deliveries in this range."
              : `${pending.count} failed ${pending.count === 1 ? "delivery" : "deliveries"} will be sent again, at most ${pending.perSecond} per second.`}
          </p>
        )}
      </ConfirmDialog>
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      {replay && replay.queued > 0 && (
        <div className="replay-progress">
          <progress max={replay.queued} value={replay.queued - remaining} aria-label="Replay progress" />
          <p className="small" role="status" data-testid="replay-progress">
            {remaining === 0 ? "Replay finished: " : `Replaying: ${remaining} pending, `}
            {replay.succeeded} succeeded, {replay.failed} failed.
          </p>
          <p className="small muted">
            Started <TimeAgo iso={replay.since} />.
          </p>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
