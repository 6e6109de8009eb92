import { redirect } from "next/navigation";
import { Suspense } from "react";
import { LoginForm } from "@/components/login-form";
import { getCaller } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  const caller = await getCaller();
  if (caller?.kind === "operator") redirect("/apps");
  return (
    <main className="page">
      <div className="login">
        <h1>Sign in to Hookpost</h1>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <LoginForm />
        </Suspense>
      </div>
    </main>
  );
}
