// The security headers of every answer of the web process, set before the
// request reaches Next.js or the create-event handler, so no page, API
// route or error can be served without them (docs/security.md).
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";

/** One year, the span HSTS preload lists ask for. */
const HSTS = "max-age=31536000";

/**
 * Pages: scripts only from this origin and with this answer's nonce.
 * Next.js renders its inline bootstrap and hydration scripts with the
 * nonce it reads from the request's own `content-security-policy` header
 * (which is why the policy is written there too), as its CSP guide
 * describes for a proxy; every page is rendered per request, so each gets
 * a fresh one. `'strict-dynamic'` lets those scripts load the page's
 * chunks. Styles allow inline: React renders `style` attributes, which no
 * nonce can cover, and a style cannot run code. Images may come from any
 * https host: a portal shows its app's logo from wherever the operator
 * keeps it (lib/apps/branding.ts), and an image cannot run code either.
 */
function pagePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** JSON answers load nothing and are never framed. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

export interface SecurityHeaderOptions {
  /** The dashboard's configured public URL (NEXTAUTH_URL); https there means HSTS on every answer. */
  publicUrl: string | undefined;
}

/**
 * Whether the client reached us over HTTPS: our own TLS socket, a proxy
 * saying so (`x-forwarded-proto`), or a public URL that is https. Browsers
 * ignore HSTS received over plain HTTP, so a client that claims https
 * falsely gains nothing.
 */
function overHttps(req: IncomingMessage, options: SecurityHeaderOptions): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  const forwarded = req.headers["x-forwarded-proto"];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  return proto === "https" || options.publicUrl?.startsWith("https:") === true;
}

export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, options: SecurityHeaderOptions): void {
  const isApi = req.url?.startsWith("/api/") ?? false;
  let policy = API_POLICY;
  if (!isApi) {
    policy = pagePolicy(randomBytes(16).toString("base64"));
    // Next.js takes the nonce from here; a client's own header must not choose it.
    req.headers["content-security-policy"] = policy;
  } else {
    delete req.headers["content-security-policy"];
  }
  delete req.headers["content-security-policy-report-only"];
  res.setHeader("content-security-policy", policy);
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "same-origin");
  if (overHttps(req, options)) res.setHeader("strict-transport-security", HSTS);
}
