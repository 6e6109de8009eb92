// Two web processes and three workers on one Redis (many-processes-suite.ts).
import { manyProcessesSuite } from "./many-processes-suite";

manyProcessesSuite("two web processes and three workers on one Redis", {
  redis: () => Promise.resolve({ shards: 1 }),
});
