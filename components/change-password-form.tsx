"use client";
// The operator's own password. The fields are checked with the schema the
// server action uses; the action checks the current password and ends
// every session, so on success the form signs out to the sign-in page.
import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { changeOwnPasswordAction } from "@/app/account/actions";
import { changeOwnPasswordSchema } from "@/lib/auth/password-schema";
import { FormError, firstIssue, textField, type FieldError } from "./form-fields";

export function ChangePasswordForm() {
  const [error, setError] = useState<FieldError>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      currentPassword: textField(form, "currentPassword"),
      newPassword: textField(form, "newPassword"),
      confirmPassword: textField(form, "confirmPassword"),
    };
    const checked = changeOwnPasswordSchema.safeParse(input);
    if (!checked.success) {
      setError(firstIssue(checked.error));
      return;
    }
    setBusy(true);
    setError(undefined);
    const result = await changeOwnPasswordAction(input);
    if (!result.ok) {
      setBusy(false);
      setError({ message: `${result.status}: ${result.message}`, field: result.field });
      return;
    }
    await signOut({ callbackUrl: "/login?changed=password" });
  }

  const invalid = (field: string) => (error?.field === field ? true : undefined);
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <div className="field">
        <label htmlFor="currentPassword">Current password</label>
        <input
          id="currentPassword"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          aria-invalid={invalid("currentPassword")}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="newPassword">New password</label>
        <input
          id="newPassword"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          aria-invalid={invalid("newPassword")}
          required
        />
        <div className="hint">At least 8 characters.</div>
      </div>
      <div className="field">
        <label htmlFor="confirmPassword">New password again</label>
        <input
          id="confirmPassword"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          aria-invalid={invalid("confirmPassword")}
          required
        />
      </div>
      <FormError error={error} />
      <button className="primary" type="submit" disabled={busy}>
        {busy ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
