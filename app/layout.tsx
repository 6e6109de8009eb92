import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { TimeZoneProvider } from "@/components/time-zone";
import "./globals.css";

export const metadata: Metadata = {
  title: "Hookpost",
  description: "Webhook delivery logs",
};

// Every page is rendered per request, so that each carries the nonce of
// its own Content-Security-Policy (server/security-headers.ts); a page
// prerendered at build time would have none and its scripts would be blocked.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TimeZoneProvider>{children}</TimeZoneProvider>
      </body>
    </html>
  );
}
