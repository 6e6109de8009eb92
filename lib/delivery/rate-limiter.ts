// Per-endpoint deliveries-per-second limit, shared by every worker process
// through Redis: a fixed one-second window counted with INCR.
import type { Redis } from "ioredis";

export class EndpointRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Takes one delivery from this second's allowance; false when it is spent. */
  async take(endpointId: string, perSecond: number): Promise<boolean> {
    const key = `${this.prefix}:rate:${endpointId}:${Math.floor(Date.now() / 1000)}`;
    const replies = await this.redis.multi().incr(key).pexpire(key, 2_000).exec();
    const count = replies?.[0]?.[1];
    if (typeof count !== "number") throw new Error(`rate limit counter for ${endpointId} returned ${String(count)}`);
    return count <= perSecond;
  }
}
