"use server";
// The signed-in operator's own account.
import { headers } from "next/headers";
import type { z } from "zod";
import { UnauthenticatedError } from "@/lib/auth/caller";
import { clientAddress } from "@/lib/auth/login-limit";
import { getCaller } from "@/lib/auth/session";
import type { changeOwnPasswordSchema } from "@/lib/auth/password-schema";
import { changeOwnPassword } from "@/lib/auth/users";
import { getDb } from "@/lib/platform/db";
import { toActionResult } from "@/lib/dashboard/action-result";
import { getWebRuntime } from "@/lib/platform/web-runtime";

/** Ends every session of the user on success, this one included: the client signs in again. */
export async function changeOwnPasswordAction(input: z.input<typeof changeOwnPasswordSchema>) {
  return toActionResult(
    async () => {
      const caller = await getCaller();
      // Portal sessions have no password: only operators have an account.
      if (caller?.kind !== "operator") throw new UnauthenticatedError();
      const requestHeaders = await headers();
      await changeOwnPassword(
        getDb(),
        caller.email,
        input,
        clientAddress((name) => requestHeaders.get(name)),
      );
      getWebRuntime().logger.info({ user: caller.email }, "password changed; sessions ended");
      return { changed: true };
    },
    (error) => getWebRuntime().logger.error({ err: error }, "password change failed"),
  );
}
