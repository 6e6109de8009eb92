// next-auth configuration: email and password, JWT sessions. The sign-in
// goes through the rate limit in login-limit.ts before the password is checked.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "../platform/config";
import { getDb } from "../platform/db";
import { sameOriginUrl } from "./callback-url";
import { clientAddress, signIn } from "./login-limit";
import { signInSchema } from "./sign-in-schema";
import { checkCredentials, type SignedInUser } from "./users";

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
            clientAddress((name) => {
              const value = req.headers?.[name] as unknown;
              return typeof value === "string" ? value : undefined;
            }),
          );
          if (!result.ok) {
            // next-auth passes the message to the sign-in form as its error code.
            throw new Error(result.reason === "rate_limited" ? "RateLimited" : "CredentialsSignin");
          }
          return result.user;
        },
      }),
    ],
    callbacks: {
      // next-auth's own check compares a string prefix; this one resolves the
      // URL as the browser will, so `/\evil.example` cannot leave the origin.
      redirect({ url, baseUrl }) {
        return sameOriginUrl(url, baseUrl)?.href ?? baseUrl;
      },
      jwt({ token, user }) {
        // Only at sign-in is `user` set: the token keeps the version the session began with.
        if (user) token.sessionVersion = (user as Partial<SignedInUser>).sessionVersion;
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { sessionVersion?: unknown }).sessionVersion = token.sessionVersion;
        return session;
      },
    },
  };
}
