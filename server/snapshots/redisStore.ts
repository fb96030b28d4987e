import { Redis } from 'ioredis';
import { SnapshotStoreError } from '../../rooms/index.ts';
import type { RoomRecord, RoomRecordMeta, SnapshotEntry, SnapshotStore, SnapshotToSave, StoredRecording, StoredSnapshot } from '../../rooms/index.ts';
import { redactUrl } from '../config.ts';
import { DeadlineError, withDeadline } from '../deadline.ts';
import { redisOptions } from '../presence.ts';
import { checkOwner, checkRoomId, checkTick, checkTtl, decodeMeta, encodeMeta, ownBytes } from './common.ts';

export interface RedisSnapshotStoreOptions {
  /** redis:// or rediss:// URL (credentials never appear in errors). */
  readonly url: string;
  /** Snapshots kept per room. */
  readonly keep: number;
  /** Deadline of one call, ms (default 2000). */
  readonly timeoutMs?: number;
  /** How long {@link RedisSnapshotStore.open} waits for Redis, ms (default 10,000). */
  readonly connectTimeoutMs?: number;
  /** Key prefix (default `lairmind:snap:`). */
  readonly prefix?: string;
}

/** Where the snapshot keys live in Redis. */
export const SNAPSHOT_KEY_PREFIX = 'lairmind:snap:';

// Layout, under the prefix:
//   rooms             hash  roomId → JSON { latestTick, savedAt, meta } of the rooms not ended
//   ended             set   roomIds ended on purpose (a late save must not bring one back)
//   room:<id>:ticks   zset  tick → tick, the room's snapshots
//   room:<id>:bytes   hash  tick → encoded snapshot
//   room:<id>:info    hash  tick → JSON { savedAt, size, meta }
//   room:<id>:lease   string owner, with the lease's expiry as the key's
//   room:<id>:rec     hash  baseTick, bytes: the flight recorder's inputs
// Every key of a room is declared to the scripts that touch it.

/** KEYS: ticks, bytes, info, lease, rooms, ended. ARGV: roomId, tick, bytes, info, keep, fence owner or '', room record. */
const SAVE = `
if ARGV[6] ~= '' then
  local holder = redis.call('GET', KEYS[4])
  if holder and holder ~= ARGV[6] then return {0, holder} end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
local keep = tonumber(ARGV[5])
local old = redis.call('ZRANGE', KEYS[1], 0, -keep - 1)
if #old > 0 then
  redis.call('HDEL', KEYS[2], unpack(old))
  redis.call('HDEL', KEYS[3], unpack(old))
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -keep - 1)
end
local top = redis.call('ZRANGE', KEYS[1], -1, -1)[1]
if top == ARGV[2] and redis.call('SISMEMBER', KEYS[6], ARGV[1]) == 0 then
  redis.call('HSET', KEYS[5], ARGV[1], ARGV[7])
end
return {1}
`;

/** KEYS: ticks, bytes, info. → { tick, bytes, info } of the newest snapshot, or nil. */
const LATEST = `
local top = redis.call('ZRANGE', KEYS[1], -1, -1)[1]
if not top then return nil end
return {top, redis.call('HGET', KEYS[2], top), redis.call('HGET', KEYS[3], top)}
`;

/** KEYS: ticks, info. → tick, info, tick, info… newest first. */
const LIST = `
local ticks = redis.call('ZREVRANGE', KEYS[1], 0, -1)
local out = {}
for _, t in ipairs(ticks) do
  local info = redis.call('HGET', KEYS[2], t)
  if info then
    out[#out + 1] = t
    out[#out + 1] = info
  end
end
return out
`;

/** KEYS: rooms, ended. ARGV: roomId. */
const END = `
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
`;

/** KEYS: lease. ARGV: owner, ttl ms. */
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** KEYS: lease. ARGV: owner, ttl ms. */
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** KEYS: lease. ARGV: owner. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

type Arg = string | Buffer | number;

/** The scripts above as ioredis commands (defineCommand: EVALSHA, and EVAL once after Redis lost its script cache). */
interface Scripts {
  snapSave(...args: Arg[]): Promise<[number, string?]>;
  snapLatestBuffer(...args: Arg[]): Promise<Buffer[] | null>;
  snapList(...args: Arg[]): Promise<string[]>;
  snapEnd(...args: Arg[]): Promise<number>;
  snapClaim(...args: Arg[]): Promise<number>;
  snapRenew(...args: Arg[]): Promise<number>;
  snapRelease(...args: Arg[]): Promise<number>;
}

interface SnapshotInfo {
  savedAt: number;
  size: number;
  meta: RoomRecordMeta;
}

interface RoomIndexEntry {
  latestTick: number;
  savedAt: number;
  meta: RoomRecordMeta;
}

function parseJson<T>(what: string, json: string | Buffer | undefined | null): T {
  if (json == null) throw new SnapshotStoreError('corrupt', `${what}: an entry is missing its record`);
  try {
    return JSON.parse(json.toString()) as T;
  } catch (err) {
    throw new SnapshotStoreError('corrupt', `${what}: a stored record is not JSON`, { cause: err });
  }
}

/** An ioredis or deadline failure as a store error naming `what` (ioredis' messages carry no credentials). */
function storeError(what: string, err: unknown): SnapshotStoreError {
  if (err instanceof SnapshotStoreError) return err;
  if (err instanceof DeadlineError) return new SnapshotStoreError('timeout', `${what}: Redis gave no answer in time (${err.message})`, { cause: err });
  const detail = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : '';
  if (/^OOM\b/.test(detail)) return new SnapshotStoreError('full', `${what}: Redis is out of memory (${detail})`, { cause: err });
  if (name === 'MaxRetriesPerRequestError' || /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|enableOfflineQueue/i.test(detail)) {
    return new SnapshotStoreError('unavailable', `${what}: Redis is unreachable (${detail})`, { cause: err });
  }
  if (/^(LOADING|MASTERDOWN|READONLY|BUSY)\b/.test(detail)) return new SnapshotStoreError('unavailable', `${what}: Redis cannot serve it now (${detail})`, { cause: err });
  return new SnapshotStoreError('failed', `${what}: ${detail}`, { cause: err });
}

/**
 * Snapshots in Redis, shared by every process of a deployment: each process sees the rooms the others saved,
 * and the leases (SET NX PX, renewed and released only by their owner) keep one room in one process. Saves
 * are Lua scripts, so the fence check, the write, the trim to the newest `keep` and the room index move
 * together. Every call has a deadline, and a store whose Redis is down fails at once with `unavailable`
 * (no offline queue, no retries) instead of waiting; the connection keeps trying to come back meanwhile.
 */
export class RedisSnapshotStore implements SnapshotStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly scripts: Scripts;
  private readonly keep: number;
  private readonly timeoutMs: number;
  private readonly prefix: string;
  private closed = false;

  /** Connect and wait until Redis answers (at most `connectTimeoutMs`); throws {@link SnapshotStoreError} `unavailable`. */
  static async open(opts: RedisSnapshotStoreOptions): Promise<RedisSnapshotStore> {
    const where = redactUrl(opts.url);
    let options: ReturnType<typeof redisOptions>;
    try {
      options = redisOptions(opts.url);
    } catch (err) {
      throw new SnapshotStoreError('failed', `snapshot store (redis): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (!Number.isInteger(opts.keep) || opts.keep < 1) throw new SnapshotStoreError('failed', `snapshot store (redis): keep must be a positive integer, got ${opts.keep}`);
    const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    const redis = new Redis({
      ...options,
      connectionName: 'lairmind-snapshots',
      // Fail fast while the connection is down rather than queue behind it; reconnect attempts never stop.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: Math.min(2000, connectTimeoutMs),
      retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1000),
    });
    let lastError: Error | undefined;
    // Without a listener ioredis prints every failed reconnect; the calls report the outage instead.
    redis.on('error', (err: Error) => {
      lastError = err;
    });
    try {
      await withDeadline(
        `snapshot store: connecting to Redis at ${where}`,
        new Promise<void>((resolve) => {
          if (redis.status === 'ready') resolve();
          else redis.once('ready', () => resolve());
        }),
        connectTimeoutMs,
      );
    } catch (err) {
      redis.disconnect();
      const why = lastError ? ` (${lastError.message})` : '';
      throw new SnapshotStoreError('unavailable', `snapshot store: Redis at ${where} did not answer within ${connectTimeoutMs} ms${why}`, { cause: err });
    }
    return new RedisSnapshotStore(redis, opts);
  }

  private constructor(redis: Redis, opts: RedisSnapshotStoreOptions) {
    this.redis = redis;
    this.keep = opts.keep;
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.prefix = opts.prefix ?? SNAPSHOT_KEY_PREFIX;
    redis.defineCommand('snapSave', { lua: SAVE, numberOfKeys: 6 });
    redis.defineCommand('snapLatest', { lua: LATEST, numberOfKeys: 3, readOnly: true });
    redis.defineCommand('snapList', { lua: LIST, numberOfKeys: 2, readOnly: true });
    redis.defineCommand('snapEnd', { lua: END, numberOfKeys: 2 });
    redis.defineCommand('snapClaim', { lua: CLAIM, numberOfKeys: 1 });
    redis.defineCommand('snapRenew', { lua: RENEW, numberOfKeys: 1 });
    redis.defineCommand('snapRelease', { lua: RELEASE, numberOfKeys: 1 });
    this.scripts = redis as unknown as Scripts;
  }

  private key(roomId: string, part: 'ticks' | 'bytes' | 'info' | 'lease' | 'rec'): string {
    return `${this.prefix}room:${roomId}:${part}`;
  }

  private get roomsKey(): string {
    return `${this.prefix}rooms`;
  }

  private get endedKey(): string {
    return `${this.prefix}ended`;
  }

  /** Run `work` against Redis within the deadline; refused at once while the connection is not ready. */
  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new SnapshotStoreError('unavailable', `${what}: the snapshot store (redis) is closed`);
    if (this.redis.status !== 'ready') throw new SnapshotStoreError('unavailable', `${what}: Redis is unreachable (connection ${this.redis.status})`);
    try {
      return await withDeadline(what, Promise.resolve().then(work), this.timeoutMs);
    } catch (err) {
      throw storeError(what, err);
    }
  }

  async save(s: SnapshotToSave, fence?: { readonly owner: string }): Promise<void> {
    const what = `snapshot save of room ${s.roomId} at tick ${s.tick}`;
    checkRoomId(what, s.roomId);
    checkTick(what, s.tick);
    if (fence) checkOwner(what, fence.owner);
    const bytes = ownBytes(s.bytes);
    const meta = encodeMeta(what, s.meta);
    const savedAt = Date.now();
    const info = `{"savedAt":${savedAt},"size":${bytes.byteLength},"meta":${meta}}`;
    const record = `{"latestTick":${s.tick},"savedAt":${savedAt},"meta":${meta}}`;
    const r = s.roomId;
    const [ok, holder] = await this.call(what, () =>
      this.scripts.snapSave(this.key(r, 'ticks'), this.key(r, 'bytes'), this.key(r, 'info'), this.key(r, 'lease'), this.roomsKey, this.endedKey, r, String(s.tick), bytes, info, this.keep, fence?.owner ?? '', record),
    );
    if (ok !== 1) throw new SnapshotStoreError('fenced', `${what} refused: its lease is held by ${holder}, not ${fence?.owner}`);
  }

  async latest(roomId: string): Promise<StoredSnapshot | null> {
    const what = `snapshot read (latest) of room ${roomId}`;
    const reply = await this.call(what, () => this.scripts.snapLatestBuffer(this.key(roomId, 'ticks'), this.key(roomId, 'bytes'), this.key(roomId, 'info')));
    if (!reply) return null;
    const [tick, bytes, info] = reply;
    if (!tick || !bytes || !info) throw new SnapshotStoreError('corrupt', `${what}: the newest snapshot is missing its bytes or record`);
    return this.snapshot(what, roomId, Number(tick.toString()), bytes, info);
  }

  async get(roomId: string, tick: number): Promise<StoredSnapshot | null> {
    const what = `snapshot read of room ${roomId} at tick ${tick}`;
    const field = String(tick);
    const reply = await this.call(what, () => this.redis.multi().hgetBuffer(this.key(roomId, 'bytes'), field).hgetBuffer(this.key(roomId, 'info'), field).exec());
    const failed = reply?.find(([err]) => err)?.[0];
    if (failed) throw storeError(what, failed);
    const bytes = reply?.[0]?.[1] as Buffer | null | undefined;
    const info = reply?.[1]?.[1] as Buffer | null | undefined;
    if (!bytes && !info) return null;
    if (!bytes || !info) throw new SnapshotStoreError('corrupt', `${what}: the snapshot is missing its bytes or record`);
    return this.snapshot(what, roomId, tick, bytes, info);
  }

  async list(roomId: string): Promise<SnapshotEntry[]> {
    const what = `snapshot listing of room ${roomId}`;
    const flat = await this.call(what, () => this.scripts.snapList(this.key(roomId, 'ticks'), this.key(roomId, 'info')));
    const out: SnapshotEntry[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const info = parseJson<SnapshotInfo>(what, flat[i + 1]);
      out.push({ tick: Number(flat[i]), savedAt: info.savedAt, size: info.size });
    }
    return out;
  }

  async rooms(): Promise<RoomRecord[]> {
    const what = 'snapshot store room listing';
    return this.call(what, async () => {
      const index = await this.redis.hgetall(this.roomsKey);
      const ids = Object.keys(index).sort();
      if (ids.length === 0) return [];
      const owners = await this.redis.mget(ids.map((id) => this.key(id, 'lease')));
      return ids.map((roomId, i) => {
        const entry = parseJson<RoomIndexEntry>(`${what} (room ${roomId})`, index[roomId]);
        return { roomId, latestTick: entry.latestTick, savedAt: entry.savedAt, meta: decodeMeta(`${what} (room ${roomId})`, JSON.stringify(entry.meta)), owner: owners[i] ?? null };
      });
    });
  }

  async end(roomId: string): Promise<void> {
    await this.call(`ending room ${roomId} in the snapshot store`, () => this.scripts.snapEnd(this.roomsKey, this.endedKey, roomId));
  }

  async putRecording(roomId: string, baseTick: number, bytes: Uint8Array): Promise<void> {
    const what = `recording save of room ${roomId} from tick ${baseTick}`;
    checkRoomId(what, roomId);
    checkTick(what, baseTick);
    const buf = ownBytes(bytes);
    // One HSET of both fields: the base tick and its inputs are replaced together.
    await this.call(what, () => this.redis.hset(this.key(roomId, 'rec'), 'baseTick', String(baseTick), 'bytes', buf));
  }

  async recording(roomId: string): Promise<StoredRecording | null> {
    const what = `recording read of room ${roomId}`;
    const rec = await this.call(what, () => this.redis.hgetallBuffer(this.key(roomId, 'rec')));
    if (!rec.baseTick && !rec.bytes) return null;
    if (!rec.baseTick || !rec.bytes) throw new SnapshotStoreError('corrupt', `${what}: the recording is missing its base tick or bytes`);
    return { baseTick: Number(rec.baseTick.toString()), bytes: new Uint8Array(rec.bytes) };
  }

  async claim(roomId: string, owner: string, ttlMs: number): Promise<boolean> {
    const what = `lease claim of room ${roomId} by ${owner}`;
    checkRoomId(what, roomId);
    checkOwner(what, owner);
    const ttl = checkTtl(what, ttlMs);
    return (await this.call(what, () => this.scripts.snapClaim(this.key(roomId, 'lease'), owner, ttl))) === 1;
  }

  async renew(roomId: string, owner: string, ttlMs: number): Promise<boolean> {
    const what = `lease renewal of room ${roomId} by ${owner}`;
    const ttl = checkTtl(what, ttlMs);
    return (await this.call(what, () => this.scripts.snapRenew(this.key(roomId, 'lease'), owner, ttl))) === 1;
  }

  async release(roomId: string, owner: string): Promise<void> {
    await this.call(`lease release of room ${roomId} by ${owner}`, () => this.scripts.snapRelease(this.key(roomId, 'lease'), owner));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') {
      try {
        await withDeadline('snapshot store: closing the Redis connection', this.redis.quit(), this.timeoutMs);
        return;
      } catch {
        // Not answered in time: drop the connection below.
      }
    }
    this.redis.disconnect();
  }

  private snapshot(what: string, roomId: string, tick: number, bytes: Buffer, info: Buffer): StoredSnapshot {
    const i = parseJson<SnapshotInfo>(what, info);
    return { roomId, tick, savedAt: i.savedAt, bytes: new Uint8Array(bytes), meta: decodeMeta(what, JSON.stringify(i.meta)) };
  }
}
