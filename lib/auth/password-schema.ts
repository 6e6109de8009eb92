// What a password must be, and the form that changes one's own: pure
// schemas, checked in the browser and again on the server.
import { z } from "zod";

export const passwordSchema = z.string().min(8, "password must be at least 8 characters").max(1024);

/** The dashboard's own form: the current password, the new one twice. */
export const changeOwnPasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "enter your current password").max(1024),
    newPassword: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((input) => input.confirmPassword === input.newPassword, {
    message: "the two new passwords differ",
    path: ["confirmPassword"],
  })
  .refine((input) => input.newPassword !== input.currentPassword, {
    message: "the new password is the current one",
    path: ["newPassword"],
  });
