// Changing one's own password, against a real database: the current
// password is checked under the sign-in failure limit, and the change ends
// every session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_FAILURES_PER_ACCOUNT } from "../../lib/auth/login-limit";
import { changeOwnPassword, checkCredentials, createUser } from "../../lib/auth/users";
import { createTestDatabase, type TestDatabase } from "../support/services";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const change = (email: string, currentPassword: string, newPassword = "another long password") =>
  changeOwnPassword(database.db, email, { currentPassword, newPassword, confirmPassword: newPassword }, "10.0.0.1");

describe("changeOwnPassword", () => {
  it("sets the new password and ends every session", async () => {
    const { db } = database;
    const user = await createUser(db, { email: "ops@example.com", password: "the first password", role: "admin" });
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id } });

    await change("ops@example.com", "the first password");

    expect(await checkCredentials(db, "ops@example.com", "the first password")).toBeUndefined();
    const signedIn = await checkCredentials(db, "ops@example.com", "another long password");
    expect(signedIn?.sessionVersion).toBe(before.sessionVersion + 1);
  });

  it("refuses a wrong current password, and locks out after as many failures as sign-in allows", async () => {
    const { db } = database;
    await createUser(db, { email: "guess@example.com", password: "the real password", role: "viewer" });
    for (let n = 0; n < MAX_FAILURES_PER_ACCOUNT; n++) {
      await expect(change("guess@example.com", `guess ${n}`)).rejects.toMatchObject({
        status: 422,
        field: "currentPassword",
      });
    }
    // Locked out: even the right password is refused, and nothing changes.
    await expect(change("guess@example.com", "the real password")).rejects.toMatchObject({ status: 429 });
    expect(await checkCredentials(db, "guess@example.com", "the real password")).toBeDefined();
  });

  it("names the field of a new password that is too short or typed differently twice", async () => {
    await expect(
      changeOwnPassword(
        database.db,
        "ops@example.com",
        { currentPassword: "x", newPassword: "short", confirmPassword: "short" },
        "10.0.0.2",
      ),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["newPassword"] })] });
    await expect(
      changeOwnPassword(
        database.db,
        "ops@example.com",
        { currentPassword: "x", newPassword: "long enough one", confirmPassword: "long enough two" },
        "10.0.0.2",
      ),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["confirmPassword"] })] });
  });
});
