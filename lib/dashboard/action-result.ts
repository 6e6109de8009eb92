// The one answer shape of every dashboard server action, so the client can
// show "403: ..." or a field error without a thrown error's lost details.
import { z } from "zod";
import { HookpostError } from "../platform/errors";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string; field?: string };

export async function toActionResult<T>(
  run: () => Promise<T>,
  onUnexpected: (error: unknown) => void,
): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    if (error instanceof z.ZodError) {
      const issue = error.issues[0];
      const field = issue?.path.join(".") || undefined;
      return { ok: false, status: 422, message: issue?.message ?? "invalid input", ...(field ? { field } : {}) };
    }
    if (error instanceof HookpostError) {
      return {
        ok: false,
        status: error.status,
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
      };
    }
    onUnexpected(error);
    return { ok: false, status: 500, message: "something went wrong; it has been logged" };
  }
}
