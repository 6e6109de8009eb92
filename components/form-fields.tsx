// What the dashboard's forms share: reading their text fields, checking
// them with the schema the server action checks again, calling the action,
// and showing the first problem either found, naming its field.
import { useState, type FormEvent } from "react";
import type { z } from "zod";
import type { ActionResult } from "@/lib/dashboard/action-result";

export interface FieldError {
  message: string;
  field?: string;
}

export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** The first issue of a failed parse, as the form shows it. */
export function firstIssue(error: z.ZodError): FieldError {
  const issue = error.issues[0];
  return { message: issue?.message ?? "invalid input", field: issue?.path.join(".") || undefined };
}

export function FormError({ error }: { error: FieldError | undefined }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error.field ? `${error.field}: ` : ""}
      {error.message}
    </p>
  );
}

/**
 * A form's submit handler: reads `fields` as text, checks them with
 * `schema`, calls `action`, and hands its data to `onDone`. The form stays
 * busy after a success, as `onDone` usually leaves the page, unless
 * `staysOnPage` says it does not.
 */
export function useFormAction<Field extends string, Out>(options: {
  fields: readonly Field[];
  schema: z.ZodType;
  action: (input: Record<Field, string>) => Promise<ActionResult<Out>>;
  onDone: (data: Out) => void | Promise<void>;
  staysOnPage?: boolean;
}) {
  const [error, setError] = useState<FieldError>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = Object.fromEntries(options.fields.map((name) => [name, textField(form, name)])) as Record<
      Field,
      string
    >;
    const checked = options.schema.safeParse(input);
    if (!checked.success) {
      setError(firstIssue(checked.error));
      return;
    }
    setBusy(true);
    setError(undefined);
    const result = await options.action(input);
    if (!result.ok) {
      setBusy(false);
      setError({ message: `${result.status}: ${result.message}`, field: result.field });
      return;
    }
    await options.onDone(result.data);
    if (options.staysOnPage) setBusy(false);
  }
  return { error, busy, submit };
}
