"use client";
// Declare or edit an event type of the app's catalogue. The fields are
// checked with the schema the server action uses; the server then checks
// the example against the JSON Schema (lib/event-types/json-schema.ts).
import { useRouter } from "next/navigation";
import { declareEventTypeAction, editEventTypeAction } from "@/app/apps/actions";
import { eventTypeFormSchema } from "@/lib/dashboard/schemas";
import { FormError, useFormAction } from "./form-fields";

export function EventTypeForm({
  appId,
  eventType,
}: {
  appId: string;
  eventType?: { name: string; description: string; example: string; schema: string };
}) {
  const router = useRouter();
  const { error, busy, submit } = useFormAction({
    fields: ["name", "description", "example", "schema"],
    schema: eventTypeFormSchema,
    action: (input) =>
      eventType
        ? editEventTypeAction({ appId, ...input, name: eventType.name })
        : declareEventTypeAction({ appId, ...input }),
    onDone: () => router.push(`/apps/${appId}/event-types`),
  });

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate style={{ maxWidth: 720 }}>
      <div className="field">
        <label htmlFor="name">Name</label>
        {eventType ? (
          <>
            <input id="name" name="name" defaultValue={eventType.name} readOnly aria-describedby="name-hint" />
            <div className="hint" id="name-hint">
              A type keeps its name: endpoints subscribe by it.
            </div>
          </>
        ) : (
          <>
            <input id="name" name="name" required placeholder="invoice.paid" aria-describedby="name-hint" />
            <div className="hint" id="name-hint">
              Letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, like invoice.paid.
            </div>
          </>
        )}
      </div>
      <div className="field">
        <label htmlFor="description">Description</label>
        <input id="description" name="description" defaultValue={eventType?.description} />
      </div>
      <div className="field">
        <label htmlFor="example">Example payload</label>
        <textarea
          id="example"
          name="example"
          rows={8}
          className="mono"
          required
          defaultValue={eventType?.example}
          placeholder='{"invoice": 42, "amount": 1200}'
          aria-describedby="example-hint"
        />
        <div className="hint" id="example-hint">
          A JSON object: consumers read it in the portal, and a test event of this type sends it.
        </div>
      </div>
      <div className="field">
        <label htmlFor="schema">JSON Schema (optional)</label>
        <textarea
          id="schema"
          name="schema"
          rows={6}
          className="mono"
          defaultValue={eventType?.schema}
          aria-describedby="schema-hint"
        />
        <div className="hint" id="schema-hint">
          Draft-07, or 2020-12 with its $schema. The example must satisfy it.
        </div>
      </div>
      <FormError error={error} />
      <div className="actions">
        <button className="primary" type="submit" disabled={busy}>
          {eventType ? "Save" : "Add event type"}
        </button>
      </div>
    </form>
  );
}
