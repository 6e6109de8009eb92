// Creating, editing, enabling or disabling, and deleting an endpoint, and
// setting its custom headers, for an operator, the app's portal or an API
// key: each through withActivity, so each is authorized and logged alike.
import type { Endpoint } from "@prisma/client";
import type { z } from "zod";
import { withActivity, type ActivityEntry } from "../apps/with-activity";
import type { Caller } from "../auth/caller";
import type { UseCaseDeps } from "../platform/web-runtime";
import {
  createEndpoint as createEndpointRow,
  deleteEndpoint as deleteEndpointRow,
  setEndpointHeaders as setEndpointHeadersRow,
  updateEndpoint,
  type EndpointRef,
  type updateEndpointSchema,
} from "./endpoints";
import type { EndpointHeaders } from "./headers";

export interface NewEndpoint {
  appId: string;
  url: string;
  description: string;
  eventTypes: string[];
  /** Generated when absent. */
  secret?: string;
  /** Deliveries per second; absent or null: no limit. */
  rateLimit?: number | null;
}

export async function createEndpoint(
  deps: Pick<UseCaseDeps, "db" | "policy">,
  caller: Caller,
  input: NewEndpoint,
): Promise<Endpoint> {
  return withActivity(deps.db, caller, input.appId, async (app) => {
    const endpoint = await createEndpointRow(
      deps.db,
      app.id,
      {
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        secret: input.secret,
        rateLimit: input.rateLimit ?? null,
      },
      deps.policy,
    );
    return {
      result: endpoint,
      activity: {
        action: "endpoint.created",
        targetType: "endpoint",
        targetId: endpoint.id,
        details: { url: endpoint.url },
      },
    };
  });
}

export type EndpointChanges = z.infer<typeof updateEndpointSchema>;

function enabledEntry(endpoint: Endpoint): ActivityEntry {
  return {
    action: endpoint.disabled ? "endpoint.disabled" : "endpoint.enabled",
    targetType: "endpoint",
    targetId: endpoint.id,
  };
}

/**
 * Changes any of the endpoint's settings. Enabling or disabling is logged
 * as such; any other change as an edit, with the settings it left.
 */
export async function editEndpoint(
  deps: Pick<UseCaseDeps, "db" | "policy">,
  caller: Caller,
  input: EndpointRef & EndpointChanges,
): Promise<Endpoint> {
  const { appId, endpointId, ...changes } = input;
  return withActivity(deps.db, caller, appId, async (app) => {
    const endpoint = await updateEndpoint(deps.db, app.id, endpointId, changes, deps.policy);
    const { disabled, ...settings } = changes;
    const activity: ActivityEntry[] = [];
    if (Object.keys(settings).length > 0) {
      activity.push({
        action: "endpoint.updated",
        targetType: "endpoint",
        targetId: endpoint.id,
        details: {
          url: endpoint.url,
          description: endpoint.description,
          eventTypes: endpoint.eventTypes,
          ...(settings.rateLimit !== undefined ? { rateLimit: endpoint.rateLimit } : {}),
        },
      });
    }
    if (disabled !== undefined) activity.push(enabledEntry(endpoint));
    return { result: endpoint, activity };
  });
}

export async function setEndpointEnabled(
  deps: Pick<UseCaseDeps, "db" | "policy">,
  caller: Caller,
  input: EndpointRef & { enabled: boolean },
): Promise<Endpoint> {
  return withActivity(deps.db, caller, input.appId, async (app) => {
    const endpoint = await updateEndpoint(deps.db, app.id, input.endpointId, { disabled: !input.enabled }, deps.policy);
    return { result: endpoint, activity: enabledEntry(endpoint) };
  });
}

export async function deleteEndpoint(deps: Pick<UseCaseDeps, "db">, caller: Caller, ref: EndpointRef): Promise<void> {
  await withActivity(deps.db, caller, ref.appId, async (app) => {
    const deleted = await deleteEndpointRow(deps.db, app.id, ref.endpointId);
    return {
      result: undefined,
      activity: {
        action: "endpoint.deleted",
        targetType: "endpoint",
        targetId: deleted.id,
        details: { url: deleted.url },
      },
    };
  });
}

/** Replaces the endpoint's custom headers. Only their names are logged: values often hold credentials. */
export async function setEndpointHeaders(
  deps: Pick<UseCaseDeps, "db">,
  caller: Caller,
  input: EndpointRef & { headers: EndpointHeaders },
): Promise<EndpointHeaders> {
  return withActivity(deps.db, caller, input.appId, async (app) => {
    const headers = await setEndpointHeadersRow(deps.db, app.id, input.endpointId, input.headers);
    return {
      result: headers,
      activity: {
        action: "endpoint.headers_set",
        targetType: "endpoint",
        targetId: input.endpointId,
        details: { names: Object.keys(headers) },
      },
    };
  });
}
