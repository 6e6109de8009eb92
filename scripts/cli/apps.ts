// `app list`, `app create`: the API's own reads and use case for apps.
import { validate } from "../../lib/api/request";
import { createApp, createAppSchema, listApps, toAppResource } from "../../lib/apps/apps";
import { pageQuerySchema, type Page } from "../../lib/platform/pagination";
import { answer, flagsOf, required, table, type Command } from "./command";

type AppResource = ReturnType<typeof toAppResource>;

function appsTable(apps: AppResource[]): string {
  return table(
    ["ID", "UID", "NAME", "CREATED"],
    apps.map((app) => [app.id, app.uid ?? "-", app.name, app.createdAt]),
  );
}

/** A list's table, and how to ask for the next page when there is one. */
export function pageText<T>(page: Page<T>, render: (rows: T[]) => string, empty: string, next: string): string {
  if (page.data.length === 0) return empty;
  return page.nextCursor ? `${render(page.data)}\nMore: ${next} --cursor ${page.nextCursor}` : render(page.data);
}

export const PAGE_FLAGS = { limit: { type: "string" }, cursor: { type: "string" } } as const;

export const appCommands: Record<string, Command> = {
  "app list": {
    usage: "app list [--limit N] [--cursor C] [--json]",
    summary: "Apps, newest first (at most 250 a page)",
    flags: { limit: "--limit", cursor: "--cursor" },
    async run(args, cli) {
      const { values } = flagsOf(args, PAGE_FLAGS);
      const page = await listApps(cli.db(), validate(pageQuerySchema, { limit: values.limit, cursor: values.cursor }));
      answer(values.json, page, () =>
        pageText(
          page,
          appsTable,
          "No apps. Create one with: npm run hookpost -- app create --name NAME",
          "npm run hookpost -- app list",
        ),
      );
    },
  },
  "app create": {
    usage: "app create --name NAME [--uid UID] [--json]",
    summary: "Add an app (one of your customers); UID is your own id for it",
    flags: { name: "--name", uid: "--uid" },
    async run(args, cli) {
      const { values } = flagsOf(args, { name: { type: "string" }, uid: { type: "string" } });
      const input = validate(createAppSchema, { name: required(values.name, "--name"), uid: values.uid });
      const app = toAppResource(await createApp(cli.db(), input));
      answer(values.json, app, () => appsTable([app]));
    },
  },
};
