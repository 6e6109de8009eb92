// The logger buffers its lines and writes them within 200 ms, also when a
// line is logged while an earlier write is still under way (a reader that
// is slow to drain the pipe, as a test harness or a log shipper can be).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const PROGRAM = `
import { createLogger } from ${JSON.stringify(join(__dirname, "../../lib/platform/logger.ts"))};
const logger = createLogger("web");
// One line larger than the pipe and the reading side together hold, so its write stays under way until the test reads.
logger.info({ filler: "x".repeat(1_000_000) }, "filler");
setTimeout(() => {
  logger.info("the last line");
  process.stderr.write("logged\\n");
}, 300);
setTimeout(() => {}, 5000);
`;

it("writes a line logged while a write is under way, without waiting for another line", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", PROGRAM], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let output = "";
    child.stdout.pause();
    // Not read until the last line is logged and a few flush ticks have passed.
    await new Promise((resolve) => child.stderr.on("data", resolve));
    await new Promise((resolve) => setTimeout(resolve, 600));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stdout.resume();
    const deadline = Date.now() + 2_000;
    while (!output.includes("the last line") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(output).toContain('"msg":"filler"');
    expect(output).toContain("the last line");
  } finally {
    child.kill();
  }
}, 10_000);
