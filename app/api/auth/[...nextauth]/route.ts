import NextAuth from "next-auth";
import { getDb } from "@/lib/platform/db";
import { clientAddress, isLoginBlocked, loginAccount, LOGIN_WINDOW_MS } from "@/lib/auth/login-limit";
import { authOptions } from "@/lib/auth/options";

interface RouteContext {
  params: Promise<{ nextauth: string[] }>;
}

function handler(req: Request, context: RouteContext): Promise<Response> {
  return (NextAuth(authOptions()) as (req: Request, context: unknown) => Promise<Response>)(req, context);
}

/**
 * A locked-out sign-in is answered 429 before next-auth runs, so clients and
 * proxies see the limit for what it is. The body keeps next-auth's `url`
 * shape, which the sign-in form reads its error code from.
 */
async function rateLimited(req: Request, context: RouteContext): Promise<Response | undefined> {
  const { nextauth } = await context.params;
  if (nextauth.join("/") !== "callback/credentials") return undefined;
  const email = (
    await req
      .clone()
      .formData()
      .catch(() => undefined)
  )?.get("email");
  if (typeof email !== "string" || email.trim() === "") return undefined;
  const address = clientAddress((name) => req.headers.get(name));
  if (!(await isLoginBlocked(getDb(), loginAccount(email), address))) return undefined;
  const url = new URL("/login?error=RateLimited", req.url);
  return Response.json(
    {
      url: url.toString(),
      error: { code: "rate_limited", message: "too many failed sign-ins for this account or address; try again later" },
    },
    { status: 429, headers: { "retry-after": String(LOGIN_WINDOW_MS / 1000) } },
  );
}

async function post(req: Request, context: RouteContext): Promise<Response> {
  return (await rateLimited(req, context)) ?? handler(req, context);
}

export { handler as GET, post as POST };
