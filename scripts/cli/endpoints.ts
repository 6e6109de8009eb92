// `endpoint list|add|disable|enable`: the use cases the API, the dashboard
// and the portal call, as the CLI caller.
import type { Endpoint } from "@prisma/client";
import { validate } from "../../lib/api/request";
import { getApp } from "../../lib/apps/apps";
import { createEndpoint, setEndpointEnabled } from "../../lib/endpoints/endpoint-changes";
import { createEndpointSchema, listEndpoints, toEndpointResource } from "../../lib/endpoints/endpoints";
import { pageQuerySchema } from "../../lib/platform/pagination";
import { PAGE_FLAGS, pageText } from "./apps";
import { answer, flagsOf, list, required, table, type Command } from "./command";
import type { CliContext } from "./context";
import { appOfEndpoint } from "./owners";

type EndpointResource = ReturnType<typeof toEndpointResource>;

function endpointsTable(endpoints: EndpointResource[]): string {
  return table(
    ["ID", "URL", "EVENT TYPES", "STATE", "RATE LIMIT", "CREATED"],
    endpoints.map((endpoint) => [
      endpoint.id,
      endpoint.url,
      endpoint.eventTypes.length === 0 ? "all" : endpoint.eventTypes.join(","),
      endpoint.disabled ? "disabled" : "enabled",
      endpoint.rateLimit === null ? "-" : `${endpoint.rateLimit}/s`,
      endpoint.createdAt,
    ]),
  );
}

function enabledCommand(enabled: boolean): Command {
  const verb = enabled ? "enable" : "disable";
  return {
    usage: `endpoint ${verb} <endpoint-id> [--app APP] [--json]`,
    summary: enabled
      ? "Send to the endpoint again"
      : "Stop sending to the endpoint; its new events get no delivery until enabled",
    flags: { app: "--app", endpoint: "<endpoint-id>", endpointId: "<endpoint-id>" },
    async run(args: string[], cli: CliContext) {
      const { values, positionals } = flagsOf(args, { app: { type: "string" } }, ["<endpoint-id>"]);
      const endpointId = positionals[0]!;
      const appId = await appOfEndpoint(cli.db(), values.app, endpointId);
      const endpoint: Endpoint = await setEndpointEnabled(cli.deps(), cli.caller, { appId, endpointId, enabled });
      answer(
        values.json,
        toEndpointResource(endpoint),
        () => `${enabled ? "Enabled" : "Disabled"} endpoint ${endpoint.id} (${endpoint.url}).`,
      );
    },
  };
}

export const endpointCommands: Record<string, Command> = {
  "endpoint list": {
    usage: "endpoint list --app APP [--limit N] [--cursor C] [--json]",
    summary: "An app's endpoints (APP is its id or uid)",
    flags: { app: "--app", limit: "--limit", cursor: "--cursor" },
    async run(args, cli) {
      const { values } = flagsOf(args, { app: { type: "string" }, ...PAGE_FLAGS });
      const app = await getApp(cli.db(), required(values.app, "--app"));
      const page = await listEndpoints(
        cli.db(),
        app.id,
        validate(pageQuerySchema, { limit: values.limit, cursor: values.cursor }),
      );
      answer(values.json, page, () =>
        pageText(
          page,
          endpointsTable,
          `No endpoints. Add one with: npm run hookpost -- endpoint add --app ${values.app} --url URL`,
          `npm run hookpost -- endpoint list --app ${values.app}`,
        ),
      );
    },
  },
  "endpoint add": {
    usage:
      "endpoint add --app APP --url URL [--types T1,T2] [--description D] [--rate-limit N] [--secret whsec_...] [--json]",
    summary: "Add an endpoint for the event types given (all if none), N deliveries a second at most",
    flags: {
      app: "--app",
      url: "--url",
      eventTypes: "--types",
      description: "--description",
      rateLimit: "--rate-limit",
      secret: "--secret",
    },
    async run(args, cli) {
      const { values } = flagsOf(args, {
        app: { type: "string" },
        url: { type: "string" },
        types: { type: "string" },
        description: { type: "string" },
        "rate-limit": { type: "string" },
        secret: { type: "string" },
      });
      const appRef = required(values.app, "--app");
      const rateLimit = values["rate-limit"];
      const input = validate(createEndpointSchema, {
        url: required(values.url, "--url"),
        description: values.description,
        eventTypes: list(values.types),
        secret: values.secret,
        rateLimit: rateLimit === undefined ? undefined : Number(rateLimit),
      });
      const endpoint = toEndpointResource(await createEndpoint(cli.deps(), cli.caller, { ...input, appId: appRef }));
      answer(values.json, endpoint, () => endpointsTable([endpoint]));
    },
  },
  "endpoint disable": enabledCommand(false),
  "endpoint enable": enabledCommand(true),
};
