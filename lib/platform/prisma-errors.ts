// Recognises database errors the domain turns into user-facing answers.
import { Prisma } from "@prisma/client";

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
