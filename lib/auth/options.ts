// next-auth configuration: email and password, JWT sessions. The sign-in
// goes through the rate limit in login-limit.ts before the password is checked.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "../config";
import { getDb } from "../db";
import { signIn } from "./login-limit";
import { signInSchema } from "./sign-in-schema";
import { checkCredentials } from "./users";

/** The client's address as the first proxy saw it; spoofable without a proxy, so the account limit is the strict one. */
function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "") || "unknown";
}

export function authOptions(): AuthOptions {
  const db = getDb();
  return {
    secret: getConfig().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const result = await signIn(
            db,
            (email, password) => checkCredentials(db, email, password),
            parsed.data.email,
            parsed.data.password,
            clientAddress(req.headers),
          );
          if (!result.ok) {
            // next-auth passes the message to the sign-in form as its error code.
            throw new Error(result.reason === "rate_limited" ? "RateLimited" : "CredentialsSignin");
          }
          return { id: result.user.id, email: result.user.email, role: result.user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.role = (user as { role?: string }).role;
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { role?: unknown }).role = token.role;
        return session;
      },
    },
  };
}
