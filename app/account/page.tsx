import { ChangePasswordForm } from "@/components/change-password-form";
import { Shell } from "@/components/topbar";
import { requireOperator } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const caller = await requireOperator();
  return (
    <Shell caller={caller}>
      <h1>Account</h1>
      <p className="subtitle">
        Signed in as {caller.email} ({caller.role}).
      </p>
      <section className="panel" aria-label="Change password" style={{ maxWidth: 480 }}>
        <h2>Change password</h2>
        <p className="muted">Every session of this account ends, this one too: sign in again with the new password.</p>
        <ChangePasswordForm />
      </section>
    </Shell>
  );
}
