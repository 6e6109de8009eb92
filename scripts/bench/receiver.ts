// The benchmark's webhook consumer, run as its own process so that its work
// does not share a thread with the load generator. Paths choose the answer:
// /ok/<n> 200 at once, /fail/<n> 500, /hang/<n> never (until the sender
// gives up). GET /__stats reports counts and duplicate webhook-ids among the
// requests answered 200; POST /__reset clears them.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let total = 0;
let ok = 0;
let failed = 0;
let hung = 0;
let duplicates = 0;
let seen = new Set<string>();

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url === "/__stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ total, ok, failed, hung, duplicates }));
    return;
  }
  if (url === "/__reset") {
    total = ok = failed = hung = duplicates = 0;
    seen = new Set();
    res.writeHead(204).end();
    return;
  }
  // Drain the body before answering, as a real consumer would.
  req.resume();
  req.on("end", () => {
    total++;
    if (url.startsWith("/hang/")) {
      hung++;
      return;
    }
    if (url.startsWith("/fail/")) {
      failed++;
      res.writeHead(500, { "content-type": "text/plain" }).end("bench failure");
      return;
    }
    ok++;
    const key = `${url}|${String(req.headers["webhook-id"])}`;
    if (seen.has(key)) duplicates++;
    else seen.add(key);
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 70_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
