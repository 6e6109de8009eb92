"use client";
// The API reference, rendered in the browser by Scalar from the OpenAPI
// document the server makes (lib/api/openapi.ts). Everything it needs is
// in the app's own bundle: no fonts, telemetry, AI agent or request proxy
// from Scalar's servers, so the page works offline and under the
// dashboard's Content-Security-Policy.
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import { useMemo } from "react";

export function ApiReference({ document }: { document: Record<string, unknown> }) {
  const configuration = useMemo(
    () => ({
      content: document,
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: "never" as const,
      hideDarkModeToggle: true,
      forceDarkModeState: "light" as const,
      documentDownloadType: "none" as const,
      // Its API client is a page on Scalar's site: requests are tried from this page's own client instead.
      hideClientButton: true,
    }),
    [document],
  );
  return <ApiReferenceReact configuration={configuration} />;
}
