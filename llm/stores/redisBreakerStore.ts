import type { Redis } from 'ioredis';
import type { BreakerPolicy, BreakerState, BreakerStatus } from './breakerState.ts';
import type { BreakerStore } from './breakerStore.ts';

// Mirrors breakerState.ts. KEYS[1] = hash, KEYS[2] = set of known breakers.
// ARGV: now, failureThreshold, failureRate, minCalls, windowMs, cooldownMs, op ('acquire' | 'ok' | 'fail'), name.
const SCRIPT = `
local h = KEYS[1]
local now = tonumber(ARGV[1])
local K, rate, minCalls = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local windowMs, cooldown = tonumber(ARGV[5]), tonumber(ARGV[6])
local op = ARGV[7]
redis.call('SADD', KEYS[2], ARGV[8])
local v = redis.call('HMGET', h, 'status', 'failures', 'calls', 'windowStart', 'openedAt', 'probeAt')
local status = v[1] or 'closed'
local failures, calls = tonumber(v[2] or '0'), tonumber(v[3] or '0')
local windowStart = tonumber(v[4] or tostring(now))
local openedAt, probeAt = tonumber(v[5] or '0'), tonumber(v[6] or '0')
local allowed = 1
local function open()
  status = 'open'; openedAt = now; probeAt = 0; failures = 0; calls = 0; windowStart = now
end
if op == 'acquire' then
  if status == 'open' then
    if now - openedAt < cooldown then allowed = 0 else status = 'half_open'; probeAt = now end
  elseif status == 'half_open' then
    if probeAt ~= 0 and now - probeAt < cooldown then allowed = 0 else probeAt = now end
  end
else
  local ok = op == 'ok'
  if status == 'half_open' then
    if ok then status = 'closed'; failures = 0; calls = 0; windowStart = now; openedAt = 0; probeAt = 0 else open() end
  elseif status == 'closed' then
    if now - windowStart >= windowMs then windowStart = now; failures = 0; calls = 0 end
    calls = calls + 1
    if not ok then failures = failures + 1 end
    if failures >= K and (calls < minCalls or failures / calls >= rate) then open() end
  end
end
redis.call('HSET', h, 'status', status, 'failures', failures, 'calls', calls, 'windowStart', windowStart, 'openedAt', openedAt, 'probeAt', probeAt)
return {allowed, status, failures, calls, windowStart, openedAt, probeAt}
`;

type Scripted = Redis & { llmBreaker(n: number, ...args: (string | number)[]): Promise<[number, string, number, number, number, number, number]> };

/** {@link BreakerStore} in Redis: one Lua script per transition, shared by every server process. */
export class RedisBreakerStore implements BreakerStore {
  private readonly redis: Scripted;
  private readonly prefix: string;

  constructor(redis: Redis, prefix = 'llm:') {
    this.prefix = prefix;
    const r = redis as Scripted;
    if (typeof r.llmBreaker !== 'function') r.defineCommand('llmBreaker', { lua: SCRIPT });
    this.redis = r;
  }

  private async run(key: string, now: number, p: BreakerPolicy, op: string): Promise<[number, BreakerState]> {
    const r = await this.redis.llmBreaker(2, `${this.prefix}breaker:${key}`, `${this.prefix}breakers`, now, p.failureThreshold, p.failureRate, p.minCalls, p.windowMs, p.cooldownMs, op, key);
    return [Number(r[0]), { status: r[1] as BreakerStatus, failures: Number(r[2]), calls: Number(r[3]), windowStart: Number(r[4]), openedAt: Number(r[5]), probeAt: Number(r[6]) }];
  }

  async acquire(key: string, now: number, policy: BreakerPolicy): Promise<boolean> {
    return (await this.run(key, now, policy, 'acquire'))[0] === 1;
  }

  async record(key: string, ok: boolean, now: number, policy: BreakerPolicy): Promise<BreakerState> {
    return (await this.run(key, now, policy, ok ? 'ok' : 'fail'))[1];
  }

  async snapshot(): Promise<Record<string, BreakerState>> {
    const names = (await this.redis.smembers(`${this.prefix}breakers`)).sort();
    const out: Record<string, BreakerState> = {};
    for (const n of names) {
      const h = await this.redis.hgetall(`${this.prefix}breaker:${n}`);
      out[n] = {
        status: (h.status ?? 'closed') as BreakerStatus,
        failures: Number(h.failures ?? 0),
        calls: Number(h.calls ?? 0),
        windowStart: Number(h.windowStart ?? 0),
        openedAt: Number(h.openedAt ?? 0),
        probeAt: Number(h.probeAt ?? 0),
      };
    }
    return out;
  }
}
