"use client";
// Create or edit an endpoint. The fields are checked with the same schema
// the server action uses, then the action checks them (and the caller) again.
import { useRouter } from "next/navigation";
import { createEndpointAction, editEndpointAction } from "@/app/apps/actions";
import { endpointFormSchema } from "@/lib/dashboard/schemas";
import { FormError, useFormAction } from "./form-fields";

export function EndpointForm({
  appId,
  endpoint,
}: {
  appId: string;
  endpoint?: { id: string; url: string; description: string; eventTypes: string[] };
}) {
  const router = useRouter();
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
      <div className="field">
        <label htmlFor="eventTypes">Event types</label>
        <input
          id="eventTypes"
          name="eventTypes"
          defaultValue={endpoint?.eventTypes.join(", ")}
          placeholder="invoice.paid, user.created"
        />
        <div className="hint">Comma-separated. Leave empty to receive every event type.</div>
      </div>
      <FormError error={error} />
      <div className="actions">
        <button className="primary" type="submit" disabled={busy}>
          {endpoint ? "Save" : "Create endpoint"}
        </button>
      </div>
    </form>
  );
}
