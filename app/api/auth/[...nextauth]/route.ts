import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

function handler(req: Request, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return (NextAuth(authOptions()) as (req: Request, context: unknown) => Promise<Response>)(req, context);
}

export { handler as GET, handler as POST };
