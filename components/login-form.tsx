"use client";
import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { pathAfterSignIn } from "@/lib/auth/callback-url";
import { signInSchema } from "@/lib/auth/sign-in-schema";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "That email and password do not match.",
  RateLimited: "Too many failed sign-ins. Wait 15 minutes and try again.",
};

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setBusy(true);
    setError(undefined);
    const result = await signIn("credentials", { ...parsed.data, redirect: false });
    setBusy(false);
    if (!result || result.error) {
      setError(MESSAGES[result?.error ?? ""] ?? "Sign-in failed. Try again.");
      return;
    }
    router.push(pathAfterSignIn(params.get("callbackUrl") ?? "/apps", window.location.origin));
    router.refresh();
  }

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate>
      {params.get("changed") === "password" && (
        <p className="notice" role="status">
          Your password has been changed and every session ended. Sign in with the new password.
        </p>
      )}
      <div className="field">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button className="primary" type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
