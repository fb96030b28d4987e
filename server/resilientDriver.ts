import { matchMaker } from '@colyseus/core';
import type { IRoomCache, SortOptions } from '@colyseus/core';
import { RedisDriver } from '@colyseus/redis-driver';
import { withDeadline } from './deadline.ts';
import type { RedisCalls } from './redisCalls.ts';
import type { WatchedConnection } from './redisWatch.ts';

type Options = ConstructorParameters<typeof RedisDriver>[0];
type Operations = Parameters<RedisDriver['update']>[1];

/**
 * Colyseus' Redis driver (room listings in the `roomcaches` hash) whose every command has a deadline and
 * goes through {@link RedisCalls}: lookups fail fast with the "matchmaking unavailable" error while Redis is
 * down, listing writes never block or fail a live room. It remembers the listings of the rooms this process
 * hosts, and the removals Redis missed, so that {@link reRegister} can put them back after an outage.
 */
export class ResilientDriver extends RedisDriver {
  private readonly calls: RedisCalls;
  /** The live listing objects (`room._listing`) of this process's rooms, by room id. */
  private readonly own = new Map<string, IRoomCache>();
  /** Rooms gone from this process whose listing Redis may still hold. */
  private readonly unremoved = new Set<string>();

  constructor(options: Options, calls: RedisCalls) {
    super(options);
    this.calls = calls;
  }

  /** The connection, for the watch. */
  get connection(): WatchedConnection & { disconnect(): void; quit(): Promise<unknown> } {
    return (this as unknown as { _client: WatchedConnection & { disconnect(): void; quit(): Promise<unknown> } })._client;
  }

  override has(roomId: string): Promise<boolean> {
    return this.lookup('driver has', () => super.has(roomId));
  }

  override query(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache[]> {
    return this.lookup('driver query', () => super.query(conditions, sortOptions));
  }

  override findOne(conditions: Partial<IRoomCache>, sortOptions?: SortOptions): Promise<IRoomCache> {
    return this.lookup('driver findOne', () => super.findOne(conditions, sortOptions));
  }

  override findByIds(roomIds: string[]): Promise<Map<string, IRoomCache>> {
    return this.lookup('driver findByIds', () => super.findByIds(roomIds));
  }

  /** Another process's listings (after a failed health check), or this one's at shutdown; skipped while down. */
  override async cleanup(processId: string): Promise<void> {
    try {
      await this.calls.read('driver cleanup', () => super.cleanup(processId));
    } catch {
      this.forgetRoomListRequests();
    }
  }

  override async persist(room: IRoomCache, create?: boolean): Promise<boolean> {
    this.remember(room);
    return this.calls.write('driver persist', () => super.persist(room, create), true);
  }

  /** Apply the operations to the listing here (as RedisDriver does), then write the whole listing. */
  override async update(room: IRoomCache, operations: Operations): Promise<boolean> {
    const r = room as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(operations.$set ?? {})) r[field] = value;
    for (const [field, value] of Object.entries(operations.$inc ?? {})) r[field] = (r[field] as number) + (value as number);
    this.remember(room);
    return this.calls.write('driver update', () => super.persist(room), true);
  }

  override async remove(roomId: string): Promise<boolean> {
    this.own.delete(roomId);
    this.unremoved.add(roomId);
    const removed = await this.calls.write('driver remove', async () => {
      const r = await super.remove(roomId);
      this.unremoved.delete(roomId);
      return r;
    }, false);
    return removed;
  }

  override async shutdown(): Promise<void> {
    await this.calls.write('driver quit', () => super.shutdown(), undefined);
    this.connection.disconnect();
  }

  /**
   * Put this process's listings back into Redis (after Redis lost them, or missed updates while it was
   * unreachable) and delete those of rooms that went away meanwhile. Each listing is one HSET keyed by room
   * id, so running it when Redis kept everything duplicates nothing. Throws when Redis does not take it.
   */
  async reRegister(deadlineMs: number): Promise<{ rooms: number; removed: number }> {
    this.forgetRoomListRequests();
    const client = this.connection as unknown as { hset(k: string, f: string, v: string): Promise<number>; hdel(k: string, ...f: string[]): Promise<number> };
    const live = [...this.own.values()].filter((l) => matchMaker.getLocalRoomById(l.roomId) !== undefined);
    for (const id of this.own.keys()) if (!live.some((l) => l.roomId === id)) this.unremoved.add(id);
    const gone = [...this.unremoved].filter((id) => !live.some((l) => l.roomId === id));
    const writes: Promise<unknown>[] = live.map((l) => client.hset(ROOMCACHES, l.roomId, JSON.stringify(l)));
    if (gone.length) writes.push(client.hdel(ROOMCACHES, ...gone));
    await withDeadline('re-registering listings', Promise.all(writes), deadlineMs);
    for (const id of gone) {
      this.unremoved.delete(id);
      this.own.delete(id);
    }
    return { rooms: live.length, removed: gone.length };
  }

  private remember(room: IRoomCache): void {
    if (room.processId !== matchMaker.processId || !room.roomId) return;
    this.own.set(room.roomId, room);
    this.unremoved.delete(room.roomId);
  }

  private async lookup<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.calls.read(what, run);
    } catch (err) {
      this.forgetRoomListRequests();
      throw err;
    }
  }

  /**
   * RedisDriver 0.18 shares one HGETALL between concurrent queries and forgets it only when it succeeds: one
   * that failed (Redis went away mid-request) would answer every later query of that room name with the
   * same error, even after Redis is back.
   */
  private forgetRoomListRequests(): void {
    const d = this as unknown as { _concurrentRoomCacheRequest?: unknown; _roomCacheRequestByName: Record<string, unknown> };
    d._concurrentRoomCacheRequest = undefined;
    d._roomCacheRequestByName = {};
  }
}

/** The hash RedisDriver keeps listings in. */
const ROOMCACHES = 'roomcaches';
