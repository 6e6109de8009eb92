// The page for an address that leads nowhere, or to another app's object
// (which is "not found" too): inside the dashboard's frame, with a way back.
import Link from "next/link";
import { Shell } from "@/components/topbar";
import { getCaller } from "@/lib/auth/session";

function Message({ home, homeLabel }: { home: string; homeLabel: string }) {
  return (
    <>
      <h1>Not found</h1>
      <p className="subtitle">There is nothing at this address, or it is not yours to see.</p>
      <p>
        <Link href={home}>{homeLabel}</Link>
      </p>
    </>
  );
}

export default async function NotFound() {
  const caller = await getCaller();
  if (!caller) {
    return (
      <main className="page">
        <Message home="/login" homeLabel="Sign in" />
      </main>
    );
  }
  const home = caller.kind === "portal" ? `/apps/${caller.appId}` : "/apps";
  return (
    <Shell caller={caller}>
      <Message home={home} homeLabel={caller.kind === "portal" ? "Back to your endpoints" : "Back to your apps"} />
    </Shell>
  );
}
