// cluster-key-slot (the CRC16 ioredis routes keys with) ships no types.
declare module "cluster-key-slot" {
  /** The Redis Cluster hash slot of a key: of its hash tag `{...}`, if it has one. */
  export default function calculateSlot(key: string): number;
}
