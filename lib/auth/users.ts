// Operators of the dashboard: admins change things, viewers only look.
import { randomBytes } from "node:crypto";
import type { User, UserRole } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../platform/db";
import { ConflictError, NotFoundError, ValidationError } from "../platform/errors";
import { newId } from "../platform/ids";
import { isUniqueViolation } from "../platform/prisma-errors";
import { RateLimitedError, signIn } from "./login-limit";
import { changeOwnPasswordSchema, passwordSchema } from "./password-schema";
import { hashPassword, verifyPassword } from "./passwords";

export const createUserSchema = z.object({
  email: z.email().transform((email) => email.trim().toLowerCase()),
  password: passwordSchema,
  role: z.enum(["admin", "viewer"]),
});

export type CreateUserInput = z.input<typeof createUserSchema>;

export async function createUser(db: Db, input: CreateUserInput): Promise<Pick<User, "id" | "email" | "role">> {
  const parsed = createUserSchema.parse(input);
  try {
    return await db.user.create({
      data: {
        id: newId("user"),
        email: parsed.email,
        passwordHash: await hashPassword(parsed.password),
        role: parsed.role,
      },
      select: { id: true, email: true, role: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("a user with this email already exists", "email");
    throw error;
  }
}

/** The user when the password matches, else undefined (unknown email or wrong password alike). */
export async function checkCredentials(db: Db, email: string, password: string): Promise<SignedInUser | undefined> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) {
    // Same work as a real check, so response time does not tell which emails exist.
    await verifyPassword(DUMMY_HASH, password).catch(() => false);
    return undefined;
  }
  return (await verifyPassword(user.passwordHash, password))
    ? { id: user.id, email: user.email, role: user.role, sessionVersion: user.sessionVersion }
    : undefined;
}

/** What a session remembers of the user; the session version ties it to the password and role it began with. */
export interface SignedInUser {
  id: string;
  email: string;
  role: UserRole;
  sessionVersion: number;
}

export const changePasswordSchema = createUserSchema.pick({ email: true, password: true });
export const changeRoleSchema = createUserSchema.pick({ email: true, role: true });

/** Sets a new password and ends every session the user has open. */
export async function changePassword(db: Db, input: z.input<typeof changePasswordSchema>): Promise<void> {
  const parsed = changePasswordSchema.parse(input);
  const passwordHash = await hashPassword(parsed.password);
  await updateAndRevokeSessions(db, parsed.email, { passwordHash });
}

/**
 * A signed-in operator changes their own password. The current one is
 * checked as a sign-in checks it, under the same failure limit, so that a
 * session left open cannot be used to guess it. Ends every session of the
 * user, the one asking included.
 */
export async function changeOwnPassword(
  db: Db,
  email: string,
  input: z.input<typeof changeOwnPasswordSchema>,
  address: string,
): Promise<void> {
  const parsed = changeOwnPasswordSchema.parse(input);
  const check = await signIn(
    db,
    (account, password) => checkCredentials(db, account, password),
    email,
    parsed.currentPassword,
    address,
  );
  if (!check.ok) {
    if (check.reason === "rate_limited") throw new RateLimitedError();
    throw new ValidationError("that is not your current password", "currentPassword");
  }
  await changePassword(db, { email: check.user.email, password: parsed.newPassword });
}

/** Changes the role and ends every session, so no page keeps acting on the old one. */
export async function changeRole(db: Db, input: z.input<typeof changeRoleSchema>): Promise<void> {
  const parsed = changeRoleSchema.parse(input);
  await updateAndRevokeSessions(db, parsed.email, { role: parsed.role });
}

async function updateAndRevokeSessions(
  db: Db,
  email: string,
  data: { passwordHash?: string; role?: UserRole },
): Promise<void> {
  const { count } = await db.user.updateMany({ where: { email }, data: { ...data, sessionVersion: { increment: 1 } } });
  if (count === 0) throw new NotFoundError(`user ${email}`);
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$+qkCxqfrhYZoHJyf7mpLtA$YsjpshRYEubQffNiMVXsqQTe+XsrNcO2BXOPdkf/hUM";

export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * On an empty installation, creates the first admin: from ADMIN_EMAIL and
 * ADMIN_PASSWORD when set, else with a generated password returned so that
 * it can be shown once. Returns undefined when users already exist.
 */
export async function ensureFirstAdmin(
  db: Db,
  email: string | undefined,
  password: string | undefined,
): Promise<{ email: string; generatedPassword?: string } | undefined> {
  if ((await db.user.count()) > 0) return undefined;
  const chosen = password ?? generatePassword();
  const user = await createUser(db, { email: email ?? "admin@localhost.localdomain", password: chosen, role: "admin" });
  return { email: user.email, ...(password === undefined ? { generatedPassword: chosen } : {}) };
}
