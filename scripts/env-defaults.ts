// The defaults of the local set-up, written into process.env so that every
// child process (Next.js, the worker, Prisma) sees the same values.
export const LOCAL_DEFAULTS = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/hookpost",
  REDIS_URL: "redis://127.0.0.1:6379",
  PORT: "3000",
  NEXT_TELEMETRY_DISABLED: "1",
} as const;

export function applyLocalDefaults(): void {
  for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) {
    process.env[name] ||= value;
  }
}
