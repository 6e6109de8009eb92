// A reporter that names what failed once more, one line each, after the
// summary: a CI log often shows only its last lines, and the default
// reporter prints errors above its summary, so a run that failed on an
// unhandled error ended in "Errors 1 error" with the error out of sight.
import { relative } from "node:path";
import type { Reporter, SerializedError, TestModule } from "vitest/node";

/** "Error: message (at the first frame outside node_modules)", on one line. */
function oneLine(error: SerializedError | undefined): string {
  if (!error) return "no error recorded";
  const frame = (error.stack ?? "")
    .split("\n")
    .slice(1)
    .map((line) => line.trim())
    .find((line) => line.startsWith("at ") && !line.includes("node_modules"));
  const message = `${error.name ?? "Error"}: ${error.message.split("\n")[0]}`;
  return frame ? `${message} (${frame})` : message;
}

export default class FailuresLast implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const file = (path: string) => relative(process.cwd(), path);
    const lines: string[] = [];
    for (const error of unhandledErrors) {
      const where = typeof error.VITEST_TEST_PATH === "string" ? ` while ${file(error.VITEST_TEST_PATH)} ran` : "";
      lines.push(`unhandled${where}: ${oneLine(error)}`);
    }
    for (const testModule of testModules) {
      for (const error of testModule.errors()) lines.push(`${file(testModule.moduleId)}: ${oneLine(error)}`);
      for (const test of testModule.children.allTests("failed")) {
        lines.push(`${file(testModule.moduleId)} > ${test.fullName}: ${oneLine(test.result().errors?.[0])}`);
      }
    }
    if (lines.length > 0) console.log(["", "What failed, again:", ...lines].join("\n"));
  }
}
