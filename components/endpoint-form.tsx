"use client";
// Create or edit an endpoint. The fields are checked with the same schema
// the server action uses, then the action checks them (and the caller) again.
// The event types are ticked from the app's catalogue; others can still be
// typed, since events may carry types the catalogue does not declare.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createEndpointAction, editEndpointAction } from "@/app/apps/actions";
import { endpointFormSchema } from "@/lib/dashboard/schemas";
import { FormError, useFormAction } from "./form-fields";

export interface CatalogueChoice {
  name: string;
  description: string;
}

export function EndpointForm({
  appId,
  endpoint,
  catalogue,
}: {
  appId: string;
  endpoint?: { id: string; url: string; description: string; eventTypes: string[] };
  /** The app's event types still offered (not archived), by name. */
  catalogue: CatalogueChoice[];
}) {
  const router = useRouter();
  const offered = new Set(catalogue.map((type) => type.name));
  const subscribed = endpoint?.eventTypes ?? [];
  const [ticked, setTicked] = useState(() => new Set(subscribed.filter((name) => offered.has(name))));
  const [others, setOthers] = useState(() => subscribed.filter((name) => !offered.has(name)).join(", "));
  const eventTypes = [...catalogue.map((type) => type.name).filter((name) => ticked.has(name)), others.trim()]
    .filter(Boolean)
    .join(", ");
  function tick(name: string, on: boolean) {
    const next = new Set(ticked);
    if (on) next.add(name);
    else next.delete(name);
    setTicked(next);
  }
  const { error, busy, submit } = useFormAction({
    fields: ["url", "description", "eventTypes"],
    schema: endpointFormSchema,
    action: (input) =>
      endpoint
        ? editEndpointAction({ appId, endpointId: endpoint.id, ...input })
        : createEndpointAction({ appId, ...input }),
    onDone: (data) => router.push(`/apps/${appId}/endpoints/${data.id}`),
  });

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate style={{ maxWidth: 640 }}>
      <div className="field">
        <label htmlFor="url">URL</label>
        <input
          id="url"
          name="url"
          type="url"
          required
          defaultValue={endpoint?.url}
          placeholder="https://example.com/webhooks"
        />
      </div>
      <div className="field">
        <label htmlFor="description">Description</label>
        <input id="description" name="description" defaultValue={endpoint?.description} />
      </div>
      {catalogue.length === 0 ? (
        <div className="field">
          <label htmlFor="eventTypes">Event types</label>
          <input
            id="eventTypes"
            value={others}
            onChange={(event) => setOthers(event.target.value)}
            placeholder="invoice.paid, user.created"
            aria-describedby="eventTypes-hint"
          />
          <div className="hint" id="eventTypes-hint">
            Comma-separated. Leave empty to receive every event type.
          </div>
        </div>
      ) : (
        <fieldset className="subscriptions" aria-describedby="eventTypes-hint">
          <legend>Event types</legend>
          {catalogue.map((type) => (
            <label className="check" key={type.name}>
              <input
                type="checkbox"
                checked={ticked.has(type.name)}
                onChange={(event) => tick(type.name, event.target.checked)}
              />
              <span>
                <span className="mono">{type.name}</span>
                {type.description && <span className="muted small"> · {type.description}</span>}
              </span>
            </label>
          ))}
          <div className="field" style={{ marginTop: 8, marginBottom: 4 }}>
            <label htmlFor="otherEventTypes">Other event types</label>
            <input
              id="otherEventTypes"
              value={others}
              onChange={(event) => setOthers(event.target.value)}
              placeholder="comma-separated, for types not listed above"
            />
          </div>
          <div className="hint small muted" id="eventTypes-hint">
            Tick none and leave the others empty to receive every event type.
          </div>
        </fieldset>
      )}
      <input type="hidden" name="eventTypes" value={eventTypes} />
      <FormError error={error} />
      <div className="actions">
        <button className="primary" type="submit" disabled={busy}>
          {endpoint ? "Save" : "Create endpoint"}
        </button>
      </div>
    </form>
  );
}
