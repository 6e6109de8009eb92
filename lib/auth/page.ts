// Glue for pages: who is asking (else to the sign-in page), and the app
// they may see (else 404), so that every page starts with the same checks.
import type { App } from "@prisma/client";
import { notFound, redirect } from "next/navigation";
import { getDb } from "../platform/db";
import { NotFoundError } from "../platform/errors";
import { authorizeApp, type Caller } from "./caller";
import { getCaller } from "./session";

export async function requireCaller(): Promise<Caller> {
  const caller = await getCaller();
  if (!caller) redirect("/login");
  return caller;
}

export async function requireOperator(): Promise<Caller & { kind: "operator" }> {
  const caller = await requireCaller();
  if (caller.kind !== "operator") notFound();
  return caller;
}

/** Runs a read for the page; "not found" from the domain becomes the 404 page. */
export async function orNotFound<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export async function requireApp(caller: Caller, appId: string): Promise<App> {
  return orNotFound(() => authorizeApp(getDb(), caller, appId));
}
