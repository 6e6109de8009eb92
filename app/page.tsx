import { redirect } from "next/navigation";
import { getCaller } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const caller = await getCaller();
  if (!caller) redirect("/login");
  redirect(caller.kind === "portal" ? `/apps/${caller.appId}` : "/apps");
}
