// What the dashboard's forms share: reading a text field, and showing the
// first problem the schema or the server action found, naming its field.
import type { z } from "zod";

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
