"use client";
// The portal link's page submits itself in a browser, so the consumer lands
// in the portal at once, while a chat app's link preview (which runs no
// script) only sees the page and does not use the link up.
import { useEffect, useRef } from "react";
import { openPortalAction } from "@/app/portal/actions";

export function OpenPortalForm({ token, appName }: { token: string; appName: string }) {
  const form = useRef<HTMLFormElement>(null);
  const submitted = useRef(false);
  useEffect(() => {
    if (submitted.current) return;
    submitted.current = true;
    form.current?.requestSubmit();
  }, []);
  return (
    <form ref={form} className="panel" action={openPortalAction}>
      <p style={{ marginTop: 0 }}>
        See and retry the webhooks sent to <strong>{appName}</strong>.
      </p>
      <input type="hidden" name="token" value={token} />
      <button className="primary" type="submit">
        Open the portal
      </button>
    </form>
  );
}
