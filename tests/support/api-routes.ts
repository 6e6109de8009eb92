// Every /api/v1 route and method the app declares, as "<route under
// app/api/v1> <METHOD>" ("apps/[appId]/endpoints POST"): the list the
// tenancy and OpenAPI contract tests each hold a table against, so a
// route added anywhere fails both until it is probed and described.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CREATE_EVENT_ROUTE } from "../../server/create-event";

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return entry === "route.ts" ? [path] : [];
  });
}

export function declaredRoutes(): string[] {
  const root = "app/api/v1";
  const routed = routeFiles(root).flatMap((file) => {
    const route = relative(root, file).replace(/\/?route\.ts$/, "");
    const methods = [...readFileSync(file, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)];
    return methods.map((match) => `${route} ${match[1]}`);
  });
  // Answered by server/main.ts itself, outside Next.js's route tree.
  return [...routed, `${relative("/api/v1", CREATE_EVENT_ROUTE)} POST`];
}
