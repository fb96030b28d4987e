import type { Redis } from 'ioredis';
import type { CounterItem, CounterStore, ReserveResult } from './counterStore.ts';

// KEYS: counters. ARGV: per key (amount, limit or -1, ttlMs). Returns {ok, failedIndex(1-based), before...}.
const RESERVE = `
local n = #KEYS
local before = {}
for i = 1, n do
  local cur = tonumber(redis.call('GET', KEYS[i]) or '0')
  local amt = tonumber(ARGV[(i - 1) * 3 + 1])
  local lim = tonumber(ARGV[(i - 1) * 3 + 2])
  before[i] = cur
  if lim >= 0 and amt > 0 and cur + amt > lim then
    local out = {0, i}
    for j = 1, n do out[j + 2] = tonumber(redis.call('GET', KEYS[j]) or '0') end
    return out
  end
end
for i = 1, n do
  local amt = tonumber(ARGV[(i - 1) * 3 + 1])
  redis.call('INCRBY', KEYS[i], amt)
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[(i - 1) * 3 + 3]) end
end
local out = {1, 0}
for i = 1, n do out[i + 2] = before[i] end
return out
`;

// KEYS: counters. ARGV: per key (amount, ttlMs). Returns new values.
const ADD = `
local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('INCRBY', KEYS[i], ARGV[(i - 1) * 2 + 1])
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[(i - 1) * 2 + 2]) end
end
return out
`;

type Scripted = Redis & {
  llmCounterReserve(n: number, ...args: (string | number)[]): Promise<number[]>;
  llmCounterAdd(n: number, ...args: (string | number)[]): Promise<number[]>;
};

/** {@link CounterStore} in Redis: one Lua script per operation, so reservations are atomic across processes. */
export class RedisCounterStore implements CounterStore {
  private readonly redis: Scripted;
  private readonly prefix: string;

  constructor(redis: Redis, prefix = 'llm:') {
    this.prefix = prefix;
    const r = redis as Scripted;
    if (typeof r.llmCounterReserve !== 'function') r.defineCommand('llmCounterReserve', { lua: RESERVE });
    if (typeof r.llmCounterAdd !== 'function') r.defineCommand('llmCounterAdd', { lua: ADD });
    this.redis = r;
  }

  async reserve(items: readonly CounterItem[]): Promise<ReserveResult> {
    if (items.length === 0) return { ok: true, failed: -1, before: [] };
    const keys = items.map((i) => this.prefix + i.key);
    const args = items.flatMap((i) => [Math.ceil(i.amount), Number.isFinite(i.limit) ? Math.floor(i.limit) : -1, Math.max(1, Math.ceil(i.ttlMs))]);
    const res = await this.redis.llmCounterReserve(keys.length, ...keys, ...args);
    return { ok: res[0] === 1, failed: (res[1] as number) - 1, before: res.slice(2).map(Number) };
  }

  async add(items: readonly Omit<CounterItem, 'limit'>[]): Promise<number[]> {
    if (items.length === 0) return [];
    const keys = items.map((i) => this.prefix + i.key);
    const args = items.flatMap((i) => [Math.round(i.amount), Math.max(1, Math.ceil(i.ttlMs))]);
    return (await this.redis.llmCounterAdd(keys.length, ...keys, ...args)).map(Number);
  }

  async get(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const vals = await this.redis.mget(...keys.map((k) => this.prefix + k));
    return vals.map((v) => (v === null ? 0 : Number(v)));
  }
}
