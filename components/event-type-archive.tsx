"use client";
// Archive an event type (it leaves the portal and the endpoint pickers;
// subscriptions stay) or bring it back.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { setEventTypeArchivedAction } from "@/app/apps/actions";

export function EventTypeArchive({ appId, name, archived }: { appId: string; name: string; archived: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function toggle() {
    setBusy(true);
    setError(undefined);
    const result = await setEventTypeArchivedAction({ appId, name, archived: !archived });
    setBusy(false);
    if (result.ok) router.refresh();
    else setError(`${result.status}: ${result.message}`);
  }
  return (
    <>
      <button
        type="button"
        className={archived ? undefined : "danger"}
        disabled={busy}
        aria-label={`${archived ? "Restore" : "Archive"} ${name}`}
        onClick={() => void toggle()}
      >
        {archived ? "Restore" : "Archive"}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
