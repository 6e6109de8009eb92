"use client";
// An app's name and its portal branding. Checked with the schema the server
// action uses, whose rules are the API's (lib/apps/branding.ts).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { editAppSettingsAction } from "@/app/apps/actions";
import { appSettingsFormSchema } from "@/lib/dashboard/schemas";
import { FormError, useFormAction } from "./form-fields";

export function AppSettingsForm({
  app,
}: {
  app: { id: string; name: string; displayName: string | null; logoUrl: string | null; accentColor: string | null };
}) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const { error, busy, submit } = useFormAction({
    fields: ["name", "displayName", "logoUrl", "accentColor"],
    schema: appSettingsFormSchema,
    action: (input) => {
      setSaved(false);
      return editAppSettingsAction({ appId: app.id, ...input });
    },
    onDone: () => {
      setSaved(true);
      router.refresh();
    },
    staysOnPage: true,
  });

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate style={{ maxWidth: 640 }}>
      <div className="field">
        <label htmlFor="name">Name</label>
        <input id="name" name="name" required defaultValue={app.name} />
      </div>
      <h3>Portal branding</h3>
      <div className="field">
        <label htmlFor="displayName">Display name</label>
        <input
          id="displayName"
          name="displayName"
          defaultValue={app.displayName ?? ""}
          aria-describedby="displayName-hint"
        />
        <div className="hint" id="displayName-hint">
          Shown in the portal&apos;s header instead of the name. Empty: the name.
        </div>
      </div>
      <div className="field">
        <label htmlFor="logoUrl">Logo URL</label>
        <input
          id="logoUrl"
          name="logoUrl"
          type="url"
          defaultValue={app.logoUrl ?? ""}
          placeholder="https://example.com/logo.png"
          aria-describedby="logoUrl-hint"
        />
        <div className="hint" id="logoUrl-hint">
          An https image, shown at most 32 px high. Empty: no logo.
        </div>
      </div>
      <div className="field">
        <label htmlFor="accentColor">Accent colour</label>
        <input
          id="accentColor"
          name="accentColor"
          defaultValue={app.accentColor ?? ""}
          placeholder="#3b5bdb"
          aria-describedby="accentColor-hint"
        />
        <div className="hint" id="accentColor-hint">
          A hex colour for the portal&apos;s buttons and links; their text colour is chosen to stay readable. Empty:
          Hookpost&apos;s blue.
        </div>
      </div>
      <FormError error={error} />
      {saved && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
      <div className="actions">
        <button className="primary" type="submit" disabled={busy}>
          Save settings
        </button>
      </div>
    </form>
  );
}
