// The sign-in form's fields; checked in the browser and again by next-auth's authorize().
import { z } from "zod";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
});
