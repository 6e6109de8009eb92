"use client";
// The operator's own password. The fields are checked with the schema the
// server action uses; the action checks the current password and ends
// every session, so on success the form signs out to the sign-in page.
import { signOut } from "next-auth/react";
import { changeOwnPasswordAction } from "@/app/account/actions";
import { changeOwnPasswordSchema } from "@/lib/auth/password-schema";
import { FormError, useFormAction } from "./form-fields";

export function ChangePasswordForm() {
  const { error, busy, submit } = useFormAction({
    fields: ["currentPassword", "newPassword", "confirmPassword"],
    schema: changeOwnPasswordSchema,
    action: changeOwnPasswordAction,
    onDone: () => signOut({ callbackUrl: "/login?changed=password" }),
  });

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
