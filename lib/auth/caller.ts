// Who is asking, and what they may touch. Every dashboard read and every
// change, from the dashboard, the portal, the API or the CLI, goes through these
// checks with explicit ids, so an id from another app is "not found" and a
// viewer's change is refused, whatever the page showed.
import type { App } from "@prisma/client";
import type { Db } from "../platform/db";
import { HookpostError, NotFoundError } from "../platform/errors";
import { getApp } from "../apps/apps";

export type Caller =
  | { kind: "operator"; email: string; role: "admin" | "viewer" }
  /** A consumer inside the portal of one app. */
  | { kind: "portal"; appId: string }
  /** The operator's backend, with one of its API keys: it acts on every app. */
  | ApiKeyCaller
  /** Someone at the operator's shell (`npm run hookpost`), as the OS user `user`: acts on every app. */
  | { kind: "cli"; user: string };

export interface ApiKeyCaller {
  kind: "apiKey";
  keyId: string;
  name: string;
}

export class ForbiddenError extends HookpostError {
  constructor(message = "your role cannot change anything here") {
    super(403, "forbidden", message);
  }
}

export class UnauthenticatedError extends HookpostError {
  constructor() {
    super(401, "unauthenticated", "sign in first");
  }
}

/** The name written into attempts and the activity log. */
export function actorName(caller: Caller): string {
  switch (caller.kind) {
    case "operator":
      return caller.email;
    case "portal":
      return "portal";
    case "apiKey":
      return `api key ${caller.name}`;
    case "cli":
      return `cli (${caller.user})`;
  }
}

export function canMutate(caller: Caller): boolean {
  return caller.kind !== "operator" || caller.role === "admin";
}

export function assertCanMutate(caller: Caller): void {
  if (!canMutate(caller)) throw new ForbiddenError();
}

/**
 * Whether the caller may change what the operator declares about an app
 * (its event catalogue, its portal branding): an admin or an API key. The
 * app's consumer sees these in the portal but does not set them.
 */
export function canManageApp(caller: Caller): boolean {
  return caller.kind !== "portal" && canMutate(caller);
}

export function assertCanManageApp(caller: Caller): void {
  if (caller.kind === "portal") throw new ForbiddenError("only the operator changes this; the portal shows it");
  assertCanMutate(caller);
}

/** The app, when the caller may see it; another app is simply not found. */
export async function authorizeApp(db: Db, caller: Caller, appIdOrUid: string): Promise<App> {
  const app = await getApp(db, appIdOrUid);
  if (caller.kind === "portal" && app.id !== caller.appId) throw new NotFoundError("app");
  return app;
}
