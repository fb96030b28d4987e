import type { Redis } from 'ioredis';
import type { RedisLink } from './redisLink.ts';

// KEYS[1]: the provider's leases (a sorted set, score = expiry in ms). ARGV: now, cap, leaseMs, id.
// Expired leases (a process that died holding them) are dropped first, so slots are never lost for longer than a lease.
const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1
`;

type Scripted = Redis & { llmSlotTake(n: number, ...args: (string | number)[]): Promise<number> };

/**
 * Deployment-wide provider slots in Redis: every process sharing it holds at most `cap` attempts in flight per
 * provider together. Each slot is a lease that expires, so a process that dies holding slots frees them within a
 * lease. Commands run through the {@link RedisLink} (deadline; an outage throws at once).
 */
export class RedisSlotStore {
  private readonly redis: Scripted;

  constructor(private readonly link: RedisLink, redis: Redis, private readonly prefix = 'llm:') {
    const r = redis as Scripted;
    if (typeof r.llmSlotTake !== 'function') r.defineCommand('llmSlotTake', { lua: TAKE });
    this.redis = r;
  }

  /** Take one of `cap` slots of `provider` as lease `id` for `leaseMs`; false when all are held. */
  async take(provider: string, cap: number, leaseMs: number, id: string, nowMs: number): Promise<boolean> {
    return (await this.link.run('slot take', () => this.redis.llmSlotTake(1, `${this.prefix}slots:${provider}`, nowMs, cap, Math.ceil(leaseMs), id))) === 1;
  }

  /** Give a lease back. */
  async give(provider: string, id: string): Promise<void> {
    await this.link.run('slot give', () => this.redis.zrem(`${this.prefix}slots:${provider}`, id));
  }
}
