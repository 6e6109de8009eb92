import { appTrail, Breadcrumbs } from "@/components/breadcrumbs";
import { AppSettingsForm } from "@/components/app-settings-form";
import { Shell } from "@/components/topbar";
import { canManageApp } from "@/lib/auth/caller";
import { requireApp, requireOperator } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

export default async function AppSettingsPage({ params }: { params: Promise<{ appId: string }> }) {
  // The operator's page: the portal shows the branding but has no settings.
  const caller = await requireOperator();
  const app = await requireApp(caller, (await params).appId);
  return (
    <Shell caller={caller} appId={app.id}>
      <Breadcrumbs trail={appTrail(caller.kind, app)} current="Settings" />
      <h1>Settings</h1>
      <p className="subtitle">The app&apos;s name, and how its consumer&apos;s portal looks.</p>
      {canManageApp(caller) ? (
        <AppSettingsForm
          app={{
            id: app.id,
            name: app.name,
            displayName: app.displayName,
            logoUrl: app.logoUrl,
            accentColor: app.accentColor,
          }}
        />
      ) : (
        <dl className="panel settings-list">
          <dt>Name</dt>
          <dd>{app.name}</dd>
          <dt>Display name</dt>
          <dd>{app.displayName ?? <span className="muted">none: the name</span>}</dd>
          <dt>Logo URL</dt>
          <dd className="break">{app.logoUrl ?? <span className="muted">none</span>}</dd>
          <dt>Accent colour</dt>
          <dd>{app.accentColor ?? <span className="muted">Hookpost&apos;s blue</span>}</dd>
        </dl>
      )}
    </Shell>
  );
}
