// Per-endpoint deliveries-per-second limit, shared by every worker process
// through Redis. GCRA without burst: sends are spaced at least 1/limit
// seconds apart, so no one-second span anywhere holds more than `limit`
// of them. (A fixed window counted per clock second let a full second's
// allowance at the end of one second meet the next second's at its start:
// twice the limit within a few milliseconds.)
//
// The script touches one key, which lives under the endpoint's queue shard
// prefix: on a Redis Cluster it is in that shard's hash slot, beside the
// endpoint's jobs.
import type { RedisClient } from "../queue/redis";

/**
 * KEYS[1]: the endpoint's theoretical arrival time (TAT), in microseconds on
 * Redis's clock, so workers on different hosts share one clock.
 * ARGV[1]: the emission interval in microseconds.
 * Returns 0 when the caller may send now, else the microseconds to wait.
 */
const takeScript = `
local now = redis.call('TIME')
local nowUs = tonumber(now[1]) * 1000000 + tonumber(now[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > nowUs then
  return tat - nowUs
end
redis.call('SET', KEYS[1], nowUs + interval, 'PX', math.ceil(interval / 1000) + 1000)
return 0
`;

type RedisWithTake = RedisClient & { hookpostRateTake(key: string, intervalUs: number): Promise<number> };

export class EndpointRateLimiter {
  private readonly redis: RedisWithTake;

  constructor(
    redis: RedisClient,
    /** The key prefix of an endpoint's queue shard (DeliveryProducer.prefixOf). */
    private readonly prefixOf: (endpointId: string) => string,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once per connection.
    if (!("hookpostRateTake" in redis)) redis.defineCommand("hookpostRateTake", { numberOfKeys: 1, lua: takeScript });
    this.redis = redis as RedisWithTake;
  }

  /**
   * Takes the endpoint's next sending slot: 0 when the delivery may be sent
   * now, else the milliseconds until the next slot opens.
   */
  async take(endpointId: string, perSecond: number): Promise<number> {
    const waitUs = await this.redis.hookpostRateTake(
      `${this.prefixOf(endpointId)}:rate:${endpointId}`,
      Math.ceil(1_000_000 / perSecond),
    );
    if (typeof waitUs !== "number") throw new Error(`rate limit for ${endpointId} returned ${String(waitUs)}`);
    return Math.ceil(waitUs / 1000);
  }
}
